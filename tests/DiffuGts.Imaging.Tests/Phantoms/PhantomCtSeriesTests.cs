using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Imaging.Phantoms;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Phantoms;

public sealed class PhantomCtSeriesTests
{
    [Fact]
    public void Datasets_SmallPhantom_OneCtInstancePerSliceWithRescaledPixels()
    {
        var p = PhantomFixtures.Small(42, new LesionRequest(PhantomLabel.Liver, LesionKind.RimEnhancing));
        var datasets = PhantomCtSeries.Datasets(p).ToArray();
        Assert.Equal(p.Geometry.SizeZ, datasets.Length);
        var first = datasets[0];
        Assert.Equal(DicomUids.CTImageStorage, first.GetString(DicomTags.SOPClassUID));
        Assert.Equal("PHANTOM^SEED42", first.GetString(DicomTags.PatientName));
        Assert.Equal("-1024", first.GetString(DicomTags.RescaleIntercept));
        Assert.Single(datasets.Select(d => d.GetString(DicomTags.SeriesInstanceUID)).Distinct());
        Assert.Equal(datasets.Length, datasets.Select(d => d.GetString(DicomTags.SOPInstanceUID)).Distinct().Count());
        Assert.All(datasets, d => Assert.True(DicomUid.IsValid(d.GetString(DicomTags.SOPInstanceUID))));

        // Slice k holds HU + 1024 little-endian, and sits at z = origin + k·spacing.
        var k = p.Geometry.SizeZ / 2;
        var pixels = datasets[k].GetElement(DicomTags.PixelData)!.Buffer.Span;
        var hu = p.Hu.Slice(k);
        Assert.Equal(hu.Length * 2, pixels.Length);
        for (var n = 0; n < hu.Length; n += 97)
        {
            Assert.Equal(hu[n] + 1024, pixels[2 * n] | pixels[2 * n + 1] << 8);
        }

        var z = double.Parse(datasets[k].GetString(DicomTags.ImagePositionPatient)!.Split('\\')[2], CultureInfo.InvariantCulture);
        Assert.Equal(p.Geometry.IndexToPatient(0, 0, k).Z, z, 3);
    }

    [Fact]
    public void Datasets_SameOptions_SameUids_OtherSeed_OtherUids()
    {
        string Study(ulong seed) => PhantomCtSeries.Datasets(PhantomFixtures.Small(seed)).First().GetString(DicomTags.StudyInstanceUID)!;
        Assert.Equal(Study(3), Study(3));
        Assert.NotEqual(Study(3), Study(4));
    }

    [PeerFact("dciodvfy")]
    public void Write_EveryInstance_PassesDciodvfyWithoutErrorsOrWarnings()
    {
        using var temp = new TempDirectory("phantom-ct");
        var paths = PhantomCtSeries.Write(PhantomFixtures.Small(42), temp.Path);
        foreach (var path in new[] { paths[0], paths[^1] })
        {
            var result = ProcessRunner.Run(Peers.Require("dciodvfy"), [path], TimeSpan.FromSeconds(60));
            var output = result.StandardOutput + result.StandardError;
            Assert.DoesNotContain("Error", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Warning", output, StringComparison.Ordinal);
        }
    }

    [PythonFact("pydicom", "nibabel", "numpy")]
    public void Write_DicomAndNifti_IndependentReadersSeeTheSameHu()
    {
        using var temp = new TempDirectory("phantom-py");
        PhantomWriter.Write(PhantomFixtures.Small(8, new LesionRequest(PhantomLabel.Liver, LesionKind.Cystic)), temp.Path, PhantomOutputFormat.Both);
        var script = """
            import glob, sys, numpy as np, pydicom, nibabel as nib
            d = sys.argv[1]
            ds = [pydicom.dcmread(f) for f in sorted(glob.glob(d + '/dicom/*.dcm'))]
            v = np.stack([x.pixel_array * float(x.RescaleSlope) + float(x.RescaleIntercept) for x in ds], axis=-1).transpose(1, 0, 2)
            img = np.asanyarray(nib.load(d + '/image.nii.gz').dataobj)
            lab = np.asanyarray(nib.load(d + '/labels.nii.gz').dataobj)
            les = np.asanyarray(nib.load(d + '/lesions.nii.gz').dataobj)
            assert np.array_equal(v, img), 'DICOM and NIfTI HU differ'
            assert lab.shape == img.shape and les.max() == 1 and np.all(lab[les > 0] == 10), 'lesion outside the liver'
            print('ok')
            """;
        var result = ProcessRunner.Run(Peers.DebianPython, ["-c", script, temp.Path], TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("ok", result.StandardOutput, StringComparison.Ordinal);
    }
}
