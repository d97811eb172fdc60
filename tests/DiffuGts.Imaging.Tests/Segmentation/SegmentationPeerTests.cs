using DiffuGts.Imaging.Segmentation;
using DiffuGts.Testing;
using Xunit;

namespace DiffuGts.Imaging.Tests.Segmentation;

/// <summary>Our SEG checked by independent tools: dicom3tools' dciodvfy (IOD rules) and Debian's pydicom + numpy (decoding).</summary>
public sealed class SegmentationPeerTests
{
    [PeerFact("dciodvfy")]
    public void Dciodvfy_Seg_ReportsNoErrors()
    {
        var oblique = SegmentationFixture.Source("oblique");
        // An Enhanced CT source: frames are then referenced by ReferencedFrameNumber.
        var enhanced = DiffuGts.Imaging.Series.SeriesVolumeBuilder.Build([SyntheticSeries.CreateEnhanced(TestGeometries.Get("axial", 13, 11, 9))]);
        using var dir = new TempDirectory();
        foreach (var (name, source) in new[] { ("oblique", oblique), ("enhanced", enhanced) })
        {
            var path = dir.Combine($"seg-{name}.dcm");
            File.WriteAllBytes(path, SegmentationWriter.CreateFile(source, SegmentationFixture.Segments(source.Geometry))!.ToArray());

            var result = ProcessRunner.Run(Peers.Require("dciodvfy"), [path], TimeSpan.FromSeconds(60));

            var report = result.StandardOutput + result.StandardError;
            Assert.Contains("Segmentation", report, StringComparison.Ordinal);
            Assert.False(report.Contains("Error", StringComparison.Ordinal), $"{name}: {report}");
        }
    }

    [PythonFact("pydicom", "numpy")]
    public void Pydicom_Seg_DecodesMasksVoxelForVoxelAtSlicePositions()
    {
        var source = SegmentationFixture.Source("reversed");
        var segments = SegmentationFixture.Segments(source.Geometry);
        using var dir = new TempDirectory();
        var path = dir.Combine("seg.dcm");
        File.WriteAllBytes(path, SegmentationWriter.CreateFile(source, segments)!.ToArray());
        // pydicom unpacks the 1-bit frames itself; numpy sums each frame and flattens it in row-major order (j, i).
        const string script = """
            import json, sys
            import pydicom, numpy as np
            ds = pydicom.dcmread(sys.argv[1])
            arr = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns)
            frames = []
            for n, f in enumerate(ds.PerFrameFunctionalGroupsSequence):
                frames.append({
                    "segment": int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
                    "ipp": [float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient],
                    "source": f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID,
                    "ones": np.flatnonzero(arr[n]).tolist(),
                })
            print(json.dumps({"frames": frames, "labels": [s.SegmentLabel for s in ds.SegmentSequence]}))
            """;

        var result = DebianPythonScript.Run(script, path);

        Assert.Equal(["Liver tumor", "Kidney mass", "Lesion"], result.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        var g = source.Geometry;
        var plane = g.SizeX * g.SizeY;
        var seen = segments.Select(_ => new byte[g.VoxelCount]).ToArray();
        foreach (var frame in result.GetProperty("frames").EnumerateArray())
        {
            var ipp = DebianPythonScript.Doubles(frame.GetProperty("ipp"));
            var index = g.PatientToIndex(new(ipp[0], ipp[1], ipp[2]));
            var k = (int)Math.Round(index.Z);
            Assert.True(Math.Abs(index.Z - k) < 1e-3 && Math.Abs(index.X) < 1e-3 && Math.Abs(index.Y) < 1e-3, "frame lies on a source slice");
            Assert.Equal(source.Slices[k].SopInstanceUid, frame.GetProperty("source").GetString());
            var segment = frame.GetProperty("segment").GetInt32();
            foreach (var one in frame.GetProperty("ones").EnumerateArray())
            {
                seen[segment - 1][k * plane + one.GetInt32()] = 1;
            }
        }

        for (var n = 0; n < segments.Count; n++)
        {
            Assert.Equal(segments[n].Mask.Data, seen[n]);
        }
    }
}
