using System.CommandLine;
using System.Globalization;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts phantom</c>: writes a synthetic CT study (DICOM series and/or NIfTI) with organ labels, lesion mask and
/// a JSON sidecar. The same arguments always write the same files (docs/phantoms.md).
/// </summary>
internal static class PhantomCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; the same seed gives the same phantom.", DefaultValueFactory = _ => 42 };
        var lesion = new Option<string[]>("--lesion")
        {
            Description = "ORGAN:KIND, repeatable. Organs: liver, kidney, spleen, pancreas, lung. Kinds: hypodense, hyperdense, rim-enhancing, cystic, infiltrative.",
            AllowMultipleArgumentsPerToken = true,
        };
        var size = new Option<string>("--size") { Description = "Columns x rows x slices.", DefaultValueFactory = _ => "128x128x64" };
        var spacing = new Option<string?>("--spacing") { Description = "Voxel spacing in mm, XxYxZ or one value (default: 384 mm field of view, 192 mm long)." };
        var region = new Option<string>("--region") { Description = "abdomen or thorax.", DefaultValueFactory = _ => "abdomen" };
        var phase = new Option<string>("--phase") { Description = "portal-venous or non-contrast.", DefaultValueFactory = _ => "portal-venous" };
        var format = new Option<string>("--format") { Description = "Image format: dicom, nifti or both (ground truth is always NIfTI + JSON).", DefaultValueFactory = _ => "both" };
        var command = new Command("phantom", "Generate a synthetic CT phantom with organ labels and lesion ground truth.")
        {
            outDir, seed, lesion, size, spacing, region, phase, format,
        };
        command.SetAction(parse =>
        {
            PhantomOptions options;
            PhantomOutputFormat output;
            try
            {
                var dims = ParseTriple(parse.GetValue(size)!, "--size", int.Parse);
                var spacingText = parse.GetValue(spacing);
                options = new PhantomOptions
                {
                    Seed = parse.GetValue(seed),
                    SizeX = dims[0],
                    SizeY = dims[1],
                    SizeZ = dims[2],
                    Spacing = spacingText is null ? null : SpacingOf(spacingText),
                    Region = parse.GetValue(region)!.ToUpperInvariant() switch
                    {
                        "ABDOMEN" => PhantomRegion.Abdomen,
                        "THORAX" or "CHEST" => PhantomRegion.Thorax,
                        var r => throw new FormatException($"--region '{r}' must be abdomen or thorax"),
                    },
                    Phase = parse.GetValue(phase)!.ToUpperInvariant() switch
                    {
                        "PORTAL-VENOUS" or "PORTAL" => ContrastPhase.PortalVenous,
                        "NON-CONTRAST" or "NATIVE" => ContrastPhase.NonContrast,
                        var p => throw new FormatException($"--phase '{p}' must be portal-venous or non-contrast"),
                    },
                    Lesions = [.. (parse.GetValue(lesion) ?? []).Select(LesionRequest.Parse)],
                };
                output = parse.GetValue(format)!.ToUpperInvariant() switch
                {
                    "DICOM" => PhantomOutputFormat.Dicom,
                    "NIFTI" => PhantomOutputFormat.Nifti,
                    "BOTH" => PhantomOutputFormat.Both,
                    var f => throw new FormatException($"--format '{f}' must be dicom, nifti or both"),
                };
                options.Validate();
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"phantom: {e.Message}");
                return 2;
            }

            Phantom phantom;
            try
            {
                phantom = PhantomGenerator.Generate(options);
            }
            catch (InvalidOperationException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"phantom: {e.Message}");
                return 1;
            }

            var directory = parse.GetValue(outDir)!;
            var files = PhantomWriter.Write(phantom, directory, output);
            var console = parse.InvocationConfiguration.Output;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"phantom seed {options.Seed}: {options.SizeX}x{options.SizeY}x{options.SizeZ}, {files.Count} files in {directory}"));
            foreach (var l in phantom.Lesions)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  lesion {l.MaskValue}: {LesionRequest.OrganName(l.Organ)} {LesionRequest.KindName(l.Kind)}, {l.VolumeMl:F1} mL, mean {l.MeanHu:F0} HU"));
            }

            return 0;
        });
        return command;
    }

    private static Vector3D SpacingOf(string text)
    {
        if (!text.Contains('x', StringComparison.OrdinalIgnoreCase))
        {
            var v = double.Parse(text, CultureInfo.InvariantCulture);
            return new Vector3D(v, v, v);
        }

        var s = ParseTriple(text, "--spacing", t => double.Parse(t, CultureInfo.InvariantCulture));
        return new Vector3D(s[0], s[1], s[2]);
    }

    private static T[] ParseTriple<T>(string text, string option, Func<string, T> parse)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length != 3)
        {
            throw new FormatException($"{option} '{text}' must be three values like 128x128x64");
        }

        return [.. parts.Select(parse)];
    }
}
