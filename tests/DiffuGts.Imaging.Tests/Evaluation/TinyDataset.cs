using System.Text.Json;
using DiffuGts.Imaging.Nifti;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Tests.Evaluation;

/// <summary>
/// Writes small synthetic CT cases (24×24×12 at 1.5×1.5×3 mm): an ellipsoidal organ (label 1, ~60 HU), a second organ
/// (label 2, ~160 HU), and optionally a hypodense spherical lesion (~0 HU) inside organ 1, in any dataset layout.
/// </summary>
internal static class TinyDataset
{
    public static readonly VolumeGeometry Grid = VolumeGeometry.Axial(24, 24, 12, new Vector3D(1.5, 1.5, 3.0));

    public static (Volume<short> Image, Volume<byte> Lesion, Volume<byte> Organs) Make(int seed, bool withLesion)
    {
        var random = new Random(seed);
        var image = new Volume<short>(Grid);
        var lesion = new Volume<byte>(Grid);
        var organs = new Volume<byte>(Grid);
        for (var k = 0; k < 12; k++)
        {
            for (var j = 0; j < 24; j++)
            {
                for (var i = 0; i < 24; i++)
                {
                    var noise = (random.NextDouble() - 0.5) * 16;
                    byte organ = Math.Pow((i - 9) / 7.0, 2) + Math.Pow((j - 12) / 8.0, 2) + Math.Pow((k - 6) / 4.5, 2) <= 1 ? (byte)1
                        : Math.Pow((i - 20) / 2.5, 2) + Math.Pow((j - 12) / 3.0, 2) + Math.Pow((k - 6) / 3.0, 2) <= 1 ? (byte)2
                        : (byte)0;
                    var lesionHere = withLesion && organ == 1 &&
                        Math.Pow((i - 8) * 1.5, 2) + Math.Pow((j - 11) * 1.5, 2) + Math.Pow((k - 6) * 3.0, 2) <= 4.6 * 4.6;
                    organs[i, j, k] = organ;
                    lesion[i, j, k] = lesionHere ? (byte)1 : (byte)0;
                    var hu = lesionHere ? 0 : organ switch { 1 => 60, 2 => 160, _ => -100 };
                    image[i, j, k] = (short)Math.Round(hu + noise);
                }
            }
        }

        return (image, lesion, organs);
    }

    public static void WriteBenchmarkCase(string root, string id, int seed, bool withLesion, string category)
    {
        var folder = Path.Combine(root, "cases", id);
        Directory.CreateDirectory(folder);
        var (image, lesion, organs) = Make(seed, withLesion);
        NiftiWriter.Write(Path.Combine(folder, "image.nii.gz"), image);
        NiftiWriter.Write(Path.Combine(folder, "lesion.nii.gz"), lesion);
        NiftiWriter.Write(Path.Combine(folder, "organs.nii.gz"), organs);
        File.WriteAllText(Path.Combine(folder, "case.json"), JsonSerializer.Serialize(new
        {
            organ = "liver",
            lesionKind = "hypodense lesion",
            category,
            prompt = "a liver tumour, hypodense, in the liver",
        }));
    }

    /// <summary>MSD (labels int → name, no channel suffix) or nnU-Net (name → int, <c>_0000</c>); labels 1 liver, 2 cancer.</summary>
    public static void WriteDecathlon(string root, bool nnUNet, int cases, bool testSplit = false)
    {
        var split = testSplit ? "Ts" : "Tr";
        Directory.CreateDirectory(Path.Combine(root, "images" + split));
        Directory.CreateDirectory(Path.Combine(root, "labels" + split));
        object labels = nnUNet
            ? new Dictionary<string, int> { ["background"] = 0, ["liver"] = 1, ["cancer"] = 2 }
            : new Dictionary<string, string> { ["0"] = "background", ["1"] = "liver", ["2"] = "cancer" };
        File.WriteAllText(Path.Combine(root, "dataset.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = "Liver",
            ["labels"] = labels,
            ["file_ending"] = ".nii.gz",
        }));
        for (var c = 0; c < cases; c++)
        {
            var id = $"liver_{c}";
            var (image, lesion, organs) = Make(100 + c, withLesion: true);
            // Only organ 1 (liver) is labelled, cancer as 2 on top of it.
            var label = new Volume<byte>(Grid);
            for (var n = 0; n < label.Data.Length; n++)
            {
                label.Data[n] = lesion.Data[n] != 0 ? (byte)2 : organs.Data[n] == 1 ? (byte)1 : (byte)0;
            }

            NiftiWriter.Write(Path.Combine(root, "images" + split, nnUNet ? id + "_0000.nii.gz" : id + ".nii.gz"), image);
            NiftiWriter.Write(Path.Combine(root, "labels" + split, id + ".nii.gz"), label);
        }

        // A macOS resource fork, as found inside the MSD tarballs: must be ignored.
        File.WriteAllBytes(Path.Combine(root, "labels" + split, "._liver_0.nii.gz"), [0, 5, 22, 7]);
    }
}
