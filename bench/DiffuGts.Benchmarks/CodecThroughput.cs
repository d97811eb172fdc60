using System.Diagnostics;
using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.Codecs;
using DiffuGts.Dicom.Dictionary;
using DiffuGts.Dicom.Pixels;

namespace DiffuGts.Benchmarks;

/// <summary>A quick Stopwatch figure (MB/s of decoded pixels) for the codecs; BenchmarkDotNet gives the careful one.</summary>
internal static class CodecThroughput
{
    public static int Run(int iterations)
    {
        var workload = CodecWorkload.CtSlice(512, 512, seed: 1);
        var destination = new byte[workload.Info.FrameLength];
        var jpeg = new JpegLosslessCodec(JpegLosslessCodec.FirstOrderPredictionUid);
        var rle = new RleLosslessCodec();
        Measure("JPEG lossless SV1 decode", workload.Jpeg.Length, destination.Length, iterations,
            () => jpeg.DecodeFrame(workload.Jpeg, workload.Info, destination));
        Measure("RLE lossless decode", workload.Rle.Length, destination.Length, iterations,
            () => rle.DecodeFrame(workload.Rle, workload.Info, destination));
        Measure("RLE lossless encode", workload.Rle.Length, destination.Length, iterations,
            () => RleLosslessCodec.EncodeFrame(workload.Native, workload.Info));
        return 0;
    }

    /// <summary>Decodes every frame of a compressed file (read once with our reader), best of <paramref name="repeats"/>.</summary>
    public static int DecodeFile(string path, int repeats)
    {
        var file = DicomFile.Open(File.ReadAllBytes(path));
        if (!PixelCodecRegistry.TryGet(file.TransferSyntax.Uid, out _))
        {
            Console.Error.WriteLine($"{path}: {file.TransferSyntax.Name} has no codec here");
            return 1;
        }

        var pixels = DicomPixelData.Create(file);
        var compressed = ((DicomFragmentSequence)file.Dataset.GetItem(DicomTags.PixelData)).Fragments.Sum(f => (long)f.Length);
        var decodedBytes = (long)pixels.FrameLength * pixels.NumberOfFrames;
        var frames = pixels.NumberOfFrames;
        var decodeAll = () =>
        {
            for (var f = 0; f < frames; f++)
            {
                pixels.GetFrame(f);
            }
        };
        decodeAll();
        // CPU time as well as wall time: on a shared machine the wall clock also counts other processes' turns.
        // (The process CPU clock ticks coarsely, so CPU time is the mean over all repeats.)
        var best = double.MaxValue;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            decodeAll();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        process.Refresh();
        var meanCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / repeats;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file.TransferSyntax.Name}: {frames} frames, {compressed} B compressed; decode {best * 1000:F1} ms wall ({decodedBytes / best / 1e6:F1} MB/s), {meanCpu * 1000:F1} ms CPU (mean)"));
        return 0;
    }

    private static void Measure(string name, int compressedBytes, int frameBytes, int iterations, Action action)
    {
        for (var i = 0; i < 5; i++)
        {
            action();
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-26} {frameBytes * (double)iterations / seconds / 1e6,8:F1} MB/s decoded pixels  ({seconds * 1000 / iterations:F2} ms/frame, compressed {compressedBytes} B of {frameBytes} B)"));
    }
}
