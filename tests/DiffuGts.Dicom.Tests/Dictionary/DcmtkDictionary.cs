namespace DiffuGts.Dicom.Tests.Dictionary;

/// <summary>Reads DCMTK's installed data dictionary (tab-separated: tag or range, VR, keyword, VM, source).</summary>
internal static class DcmtkDictionary
{
    private static readonly string[] Candidates =
    [
        "/usr/share/libdcmtk17/dicom.dic", "/usr/share/libdcmtk16/dicom.dic", "/usr/share/libdcmtk15/dicom.dic", "/usr/share/dcmtk/dicom.dic",
        "/usr/local/share/dcmtk/dicom.dic",
    ];

    public static string? Find() =>
        Environment.GetEnvironmentVariable("DCMDICTPATH") is { } env && File.Exists(env) ? env : Candidates.FirstOrDefault(File.Exists);

    /// <summary>Rows keyed by DCMTK's tag text, e.g. "(0010,0010)" or "(6000-60FF,3000)".</summary>
    public static Dictionary<string, (string Vr, string Keyword, string Vm)> Load(string path)
    {
        var rows = new Dictionary<string, (string, string, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length >= 4)
            {
                rows[columns[0]] = (columns[1], columns[2], columns[3]);
            }
        }

        return rows;
    }

    /// <summary>DCMTK's internal VR names for the multi-VR entries of PS3.6.</summary>
    public static string[] StandardVRs(string dcmtkVr) => dcmtkVr switch
    {
        "ox" => ["OB", "OW"],
        "px" => ["OB", "OW"],
        "xs" => ["US", "SS"],
        "lt" => ["US", "OW"],
        "up" => ["UL"],
        _ => [dcmtkVr],
    };
}
