using System.Text.Json;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// The JSON sidecar (<c>phantom.json</c>): generator version and options, grid, the label legend (ID, name, nominal HU)
/// and the lesion list (mask value, organ, kind, centre in LPS mm, volume in mL, mean HU). It holds no time stamps, so
/// regenerating gives the same bytes.
/// </summary>
public static class PhantomSidecar
{
    public static byte[] ToJson(Phantom phantom)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        var o = phantom.Options;
        var g = phantom.Geometry;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("generator", "diffugts phantom");
            w.WriteString("generatorVersion", PhantomGenerator.Version);
            w.WriteNumber("seed", o.Seed);
            w.WriteString("region", o.Region == PhantomRegion.Abdomen ? "abdomen" : "thorax");
            w.WriteString("phase", o.Phase == ContrastPhase.PortalVenous ? "portal-venous" : "non-contrast");
            WriteArray(w, "size", g.SizeX, g.SizeY, g.SizeZ);
            WriteArray(w, "spacingMm", Round(g.Spacing.X), Round(g.Spacing.Y), Round(g.Spacing.Z));
            WriteArray(w, "originLpsMm", Round(g.Origin.X), Round(g.Origin.Y), Round(g.Origin.Z));
            w.WriteString("huVolume", "image.nii.gz (int16 HU) and/or dicom/ (rescale intercept -1024, slope 1)");
            w.WriteStartArray("labels");
            foreach (var label in Enum.GetValues<PhantomLabel>())
            {
                w.WriteStartObject();
                w.WriteNumber("id", (byte)label);
                w.WriteString("name", label.ToString());
                w.WriteNumber("nominalHu", TissueTable.Hu(label, o.Phase));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("lesions");
            foreach (var lesion in phantom.Lesions)
            {
                w.WriteStartObject();
                w.WriteNumber("maskValue", lesion.MaskValue);
                w.WriteString("organ", LesionRequest.OrganName(lesion.Organ));
                w.WriteNumber("organLabel", (byte)lesion.Organ);
                w.WriteString("kind", LesionRequest.KindName(lesion.Kind));
                WriteArray(w, "centreLpsMm", Round(lesion.Centre.X), Round(lesion.Centre.Y), Round(lesion.Centre.Z));
                w.WriteNumber("volumeMl", Round(lesion.VolumeMl));
                w.WriteNumber("meanHu", Round(lesion.MeanHu));
                w.WriteNumber("nominalRadiusMm", Round(lesion.NominalRadiusMm));
                w.WriteNumber("voxelCount", lesion.VoxelCount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.ToArray();
    }

    private static double Round(double v) => Math.Round(v, 3);

    private static void WriteArray(Utf8JsonWriter w, string name, params double[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
