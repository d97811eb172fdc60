using DiffuGts.Imaging.Volumes;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;

namespace DiffuGts.Inference.Tests.Pipeline;

/// <summary>
/// The scene the pipeline tests segment: a 400 HU sphere of radius 5 voxels in a flat 0 HU phantom of 48×40×24 voxels of
/// 2 mm, which the tiny package's hand-wired heads flag as anomalous.
/// </summary>
internal static class BrightSphere
{
    public const double Radius = 5;

    public static (int X, int Y, int Z) Centre { get; } = (30, 20, 12);

    public static ModelPackage LoadTinyPackage() => ModelPackage.Load(TinyPackages.Get(), ExecutionDevice.Cpu, new ExecutionProviderFactory());

    public static VolumeGeometry Geometry() => VolumeGeometry.Axial(48, 40, 24, new Vector3D(2, 2, 2), new Vector3D(-40, -30, 10));

    public static SegmentationRequest Request(long seed, params string[] prompts)
    {
        var image = new Volume<float>(Geometry());
        for (var k = 0; k < 24; k++)
        {
            for (var j = 0; j < 40; j++)
            {
                for (var i = 0; i < 48; i++)
                {
                    image[i, j, k] = Distance(i, j, k) <= Radius ? 400f : 0f;
                }
            }
        }

        return new SegmentationRequest(image, prompts.Length == 0 ? ["liver tumor"] : prompts) { Seed = seed };
    }

    public static double Distance(int i, int j, int k) =>
        Math.Sqrt(Math.Pow(i - Centre.X, 2) + Math.Pow(j - Centre.Y, 2) + Math.Pow(k - Centre.Z, 2));
}
