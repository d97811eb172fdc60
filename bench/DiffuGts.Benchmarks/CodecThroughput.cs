using System.Diagnostics;
using System.Globalization;
using DiffuGts.Dicom.Codecs;

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
