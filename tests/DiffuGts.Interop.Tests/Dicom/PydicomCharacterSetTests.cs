using System.Text.Json;
using DiffuGts.Dicom;
using DiffuGts.Dicom.IO;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Interop.Tests.Dicom;

/// <summary>
/// pydicom ships character set test files (Latin, Greek, Hebrew, Arabic, Cyrillic, Japanese and Korean ISO 2022, GB18030,
/// UTF-8, sequences with their own Specific Character Set). They are read in place from Debian's python3-pydicom, never
/// copied; every text value of a standard attribute we decode must equal pydicom's (private attributes need a
/// private dictionary, which we do not have, to be text at all in implicit VR).
/// </summary>
public sealed class PydicomCharacterSetTests
{
    private const string Script = """
        import json, os, sys
        import pydicom
        from pydicom import config
        config.settings.reading_validation_mode = config.IGNORE
        folder = os.path.join(os.path.dirname(pydicom.__file__), 'data', 'charset_files')
        TEXT = {'SH', 'LO', 'ST', 'LT', 'PN', 'UC', 'UT'}
        def walk(ds, path, out):
            for elem in ds:
                here = f'{path}/({elem.tag.group:04X},{elem.tag.element:04X})'
                if elem.VR == 'SQ':
                    for i, item in enumerate(elem.value):
                        walk(item, f'{here}[{i}]', out)
                elif elem.VR in TEXT and elem.value is not None and not elem.tag.is_private:
                    values = elem.value if elem.VM > 1 else [elem.value]
                    out[here] = '\\'.join(str(v) for v in values)
        result = {}
        for name in sorted(os.listdir(folder)):
            if name.endswith('.dcm'):
                ds = pydicom.dcmread(os.path.join(folder, name))
                ds.decode()
                texts = {}
                walk(ds, '', texts)
                result[os.path.join(folder, name)] = texts
        print(json.dumps(result))
        """;

    [PythonFact("pydicom")]
    public void Open_PydicomCharsetFiles_DecodeLikePydicom()
    {
        var run = ProcessRunner.Run(Peers.DebianPython, ["-c", Script], TimeSpan.FromSeconds(120));
        Assert.True(run.ExitCode == 0, run.StandardError);
        var expected = JsonDocument.Parse(run.StandardOutput).RootElement;
        var differences = new List<string>();
        var compared = 0;

        foreach (var file in expected.EnumerateObject())
        {
            var dataset = DicomFile.Open(File.ReadAllBytes(file.Name), DicomReadOptions.Default).Dataset;
            foreach (var text in file.Value.EnumerateObject())
            {
                compared++;
                var ours = Resolve(dataset, text.Name);
                if (ours != text.Value.GetString())
                {
                    differences.Add($"{Path.GetFileName(file.Name)} {text.Name}: ours '{ours}', pydicom '{text.Value.GetString()}'");
                }
            }
        }

        Assert.True(compared > 20, $"only {compared} values compared");
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    /// <summary>Follows "/(gggg,eeee)[i]/(gggg,eeee)" to a value, decoded with the character set in force there.</summary>
    private static string? Resolve(DicomDataset dataset, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = dataset;
        foreach (var part in parts[..^1])
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var index = int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            current = current.GetSequence(DicomTag.Parse(part[..bracket])).Items[index];
        }

        var tag = DicomTag.Parse(parts[^1]);
        if (current.TryGetElement(tag, out var element) && element.VR == DicomVR.PN)
        {
            // pydicom prints a person name without its empty trailing component groups, as DicomPersonName does.
            return string.Join('\\', current.GetPersonNames(tag).Select(n => n.ToString()));
        }

        return current.TryGetString(tag, out var value) ? value : null;
    }
}
