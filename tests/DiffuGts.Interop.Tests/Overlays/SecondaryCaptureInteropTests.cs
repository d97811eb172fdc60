using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Interop.Tests.Overlays;

/// <summary>Our RGB Secondary Capture overlays checked by dicom3tools, DCMTK and pydicom.</summary>
public sealed class SecondaryCaptureInteropTests
{
    [PeerFact("dciodvfy")]
    public void Create_PhantomOverlays_DciodvfyReportsNoErrors()
    {
        using var dir = new TempDirectory();
        var paths = OverlayPhantomCase.Instance.WriteSeries(dir);
        Assert.NotEmpty(paths);

        foreach (var path in paths)
        {
            var result = ProcessRunner.Run(Peers.Require("dciodvfy"), [path], TimeSpan.FromSeconds(60));
            var report = result.StandardOutput + result.StandardError;
            var errors = report.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, $"{Path.GetFileName(path)}:\n{report}");
            Assert.Contains("SCImage", report, StringComparison.Ordinal);
        }
    }

    [PeerFact("dcmdump")]
    public void Create_PhantomOverlays_DcmdumpReadsThemWithoutWarnings()
    {
        using var dir = new TempDirectory();
        var path = OverlayPhantomCase.Instance.WriteSeries(dir)[0];

        var result = ProcessRunner.Run(Peers.Require("dcmdump"), ["-dc", path], TimeSpan.FromSeconds(60));

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("W:", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("E:", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.Contains("=SecondaryCaptureImageStorage", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(0028,0004) CS [RGB", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(0008,0064) CS [WSD", result.StandardOutput, StringComparison.Ordinal);
    }

    [PythonFact("pydicom", "numpy")]
    public void Create_PhantomOverlays_PydicomPixelArrayIsOurRgb()
    {
        using var dir = new TempDirectory();
        var overlays = new DiffuGts.Imaging.Overlays.SecondaryCaptureWriter().Create(
            OverlayPhantomCase.Instance.Headers, OverlayPhantomCase.Instance.Volume, OverlayPhantomCase.Instance.Segments, OverlayPhantomCase.Model);
        var overlay = overlays[overlays.Count / 2];
        var path = dir.Combine("sc.dcm");
        using (var stream = File.Create(path))
        {
            new DiffuGts.Dicom.DicomFile(overlay.Dataset).Save(stream);
        }

        const string script = """
            import json, sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            a = ds.pixel_array
            print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'photometric': ds.PhotometricInterpretation,
                              'sop': ds.SOPClassUID, 'hex': a.astype('uint8').tobytes().hex(),
                              'source': ds.SourceImageSequence[0].ReferencedSOPInstanceUID}))
            """;
        var result = DebianPythonScript.Run(script, path);

        Assert.Equal([overlay.Image.Height, overlay.Image.Width, 3], result.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("uint8", result.GetProperty("dtype").GetString());
        Assert.Equal("RGB", result.GetProperty("photometric").GetString());
        Assert.Equal("1.2.840.10008.5.1.4.1.1.7", result.GetProperty("sop").GetString());
        Assert.Equal(Convert.ToHexStringLower(overlay.Image.Pixels), result.GetProperty("hex").GetString());
        Assert.Equal(
            OverlayPhantomCase.Instance.Headers[overlay.SliceIndex].GetString(DiffuGts.Dicom.Dictionary.DicomTags.SOPInstanceUID),
            result.GetProperty("source").GetString());
    }
}
