using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using DiffuGts.Imaging.Volumes;
using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Pipeline;
using DiffuGts.Inference.Prompts;
using DiffuGts.Testing;

namespace DiffuGts.Inference.Tests.Packages;

/// <summary>
/// The foundry's committed packages (the embedded reference package and deploy/models/tiny/, written by the Python side to docs/model-package.md):
/// they load under our strict validation, every graph reproduces the foundry's golden outputs within its stated
/// tolerance, and the whole pipeline runs on them.
/// </summary>
public sealed class FoundryPackageTests
{
    public static TheoryData<string> Packages => ["tiny/reference-tiny", "tiny/maisi-ddpm-tiny", "reference"];

    [Theory]
    [MemberData(nameof(Packages))]
    public void Graphs_FoundryGoldenInputs_ReproduceGoldenOutputs(string name)
    {
        var folder = PackageFolder(name);
        using var package = ModelPackage.Load(folder, ExecutionDevice.Cpu, new ExecutionProviderFactory());
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "golden", "golden.json")))!.AsObject();
        var atol = (double)golden["tolerance"]!["atol"]!;
        var rtol = (double)golden["tolerance"]!["rtol"]!;
        var compared = 0;
        foreach (var (graphKey, node) in golden["graphs"]!.AsObject())
        {
            var role = package.Manifest.Graphs.Values.Single(g => GraphContract.ManifestKey(g.Role) == graphKey).Role;
            var inputs = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var (input, file) in node!["inputs"]!.AsObject())
            {
                inputs[input] = Npy.Read(Path.Combine(folder, (string)file!));
            }

            var outputs = package.Graph(role).Run(inputs, CancellationToken.None);
            foreach (var (output, file) in node["outputs"]!.AsObject())
            {
                var expected = (FloatTensor)Npy.Read(Path.Combine(folder, (string)file!));
                var actual = outputs[output];
                Assert.Equal(expected.Shape, actual.Shape);
                for (var n = 0; n < expected.Data.Length; n++)
                {
                    var limit = atol + (rtol * Math.Abs(expected.Data[n]));
                    Assert.True(Math.Abs(expected.Data[n] - actual.Data[n]) <= limit,
                        $"{graphKey}.{output}[{n}]: foundry {expected.Data[n]}, ours {actual.Data[n]}");
                }

                compared++;
            }
        }

        Assert.True(compared >= 5, $"only {compared} golden outputs compared");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Segment_FoundryPackage_RunsEndToEndOnTheInputGrid(string name)
    {
        using var package = ModelPackage.Load(PackageFolder(name), ExecutionDevice.Cpu, new ExecutionProviderFactory());
        using var miniLm = new MiniLmEncoder(new ExecutionProviderFactory(), ExecutionDevice.Cpu);
        var geometry = VolumeGeometry.Axial(40, 40, 20, new Vector3D(1.5, 1.5, 1.5));
        var image = new Volume<float>(geometry);
        for (var n = 0; n < image.Data.Length; n++)
        {
            image.Data[n] = (n % 40) < 20 ? 40f : 300f;
        }

        var pipeline = new TumorSegmentationPipeline(package, new PromptEmbedder(package, miniLm), new SegmentationPipelineOptions { InpaintingSteps = 4 });
        var result = pipeline.Segment(new SegmentationRequest(image, ["liver tumor"]), null, CancellationToken.None);
        var prompt = Assert.Single(result.Prompts);
        Assert.True(prompt.Mask.Geometry.SameGridAs(geometry));
        Assert.All(prompt.Probability.Data, p => Assert.InRange(p, 0f, 1f));
    }

    private static string PackageFolder(string name) => RepositoryRoot.Combine(["deploy", "models", .. name.Split('/')]);

    /// <summary>Reads NumPy .npy 1.0/2.0 files of little-endian float32 or int64, C order.</summary>
    private static class Npy
    {
        public static object Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var major = bytes[6];
            var headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
            var start = major == 1 ? 10 : 12;
            var header = Encoding.ASCII.GetString(bytes, start, headerLength);
            var fortran = header.Contains("'fortran_order': True", StringComparison.Ordinal);
            var shapeText = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
            shapeText = shapeText[..shapeText.IndexOf(')', StringComparison.Ordinal)];
            int[] shape = [.. shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
            var data = bytes.AsSpan(start + headerLength);
            if (header.Contains("'<f4'", StringComparison.Ordinal))
            {
                var values = new float[data.Length / 4];
                for (var n = 0; n < values.Length; n++)
                {
                    values[n] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * n)..]);
                }

                return new FloatTensor(fortran ? ToCOrder(values, shape) : values, shape);
            }

            if (header.Contains("'<i8'", StringComparison.Ordinal))
            {
                var values = new long[data.Length / 8];
                for (var n = 0; n < values.Length; n++)
                {
                    values[n] = BinaryPrimitives.ReadInt64LittleEndian(data[(8 * n)..]);
                }

                return new LongTensor(fortran ? ToCOrder(values, shape) : values, shape);
            }

            throw new InvalidDataException($"{path}: unsupported dtype in {header}");
        }

        /// <summary>Column-major (first index fastest) to row-major (last index fastest).</summary>
        private static T[] ToCOrder<T>(T[] values, int[] shape)
        {
            var result = new T[values.Length];
            var index = new int[shape.Length];
            for (var c = 0; c < values.Length; c++)
            {
                var rest = c;
                for (var a = shape.Length - 1; a >= 0; a--)
                {
                    index[a] = rest % shape[a];
                    rest /= shape[a];
                }

                var f = 0;
                for (var a = shape.Length - 1; a >= 0; a--)
                {
                    f = (f * shape[a]) + index[a];
                }

                result[c] = values[f];
            }

            return result;
        }
    }
}
