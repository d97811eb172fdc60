using System.Diagnostics;
using System.Globalization;
using DiffuGts.Dicom;
using DiffuGts.Dicom.IO;
using DiffuGts.Testing;

namespace DiffuGts.Benchmarks;

/// <summary>
/// The Part 10 reader over a folder of files: <c>generate DIR N</c> writes N synthetic 512×512 16-bit CT slices with our
/// writer; <c>part10 DIR [REPEATS]</c> times a header scan (stop before Pixel Data) and a full read of every file, best
/// of REPEATS, and prints one machine-readable line per measurement for scripts/bench-part10.sh.
/// </summary>
internal static class Part10Throughput
{
    public static int Generate(string directory, int count, int size)
    {
        Directory.CreateDirectory(directory);
        var pixels = SyntheticCtSlice.Pixels(size, size, seed: 1);
        for (var i = 0; i < count; i++)
        {
            var file = new DicomFile(SyntheticCtSlice.Dataset(i, size, size, pixels));
            using var stream = File.Create(Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"ct{i:D5}.dcm")));
            file.Save(stream);
        }

        Console.WriteLine($"generated {count} files of {size}x{size} in {directory}");
        return 0;
    }

    public static int Measure(string directory, int repeats)
    {
        var files = Directory.GetFiles(directory, "*.dcm").Order(StringComparer.Ordinal).ToArray();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        var headerOptions = new DicomReadOptions { StopBeforePixelData = true };
        var elements = 0L;

        var header = Best(repeats, () =>
        {
            foreach (var path in files)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
                elements += DicomFile.Open(stream, headerOptions).Dataset.Count;
            }
        });
        var full = Best(repeats, () =>
        {
            foreach (var path in files)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                elements += DicomFile.Open(stream).Dataset.Count;
            }
        });

        var fullFromMemory = Best(repeats, () =>
        {
            foreach (var path in files)
            {
                // The way the node keeps a received file: one uninitialised buffer, filled by one read, parsed in place.
                using var handle = File.OpenHandle(path);
                var buffer = GC.AllocateUninitializedArray<byte>((int)RandomAccess.GetLength(handle));
                var read = 0;
                while (read < buffer.Length)
                {
                    read += RandomAccess.Read(handle, buffer.AsSpan(read), read);
                }

                elements += DicomFile.Open(buffer).Dataset.Count;
            }
        });

        Report("header", files.Length, bytes, header);
        Report("full", files.Length, bytes, full);
        Report("full-memory", files.Length, bytes, fullFromMemory);
        return elements > 0 ? 0 : 1;
    }

    private static double Best(int repeats, Action action)
    {
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static void Report(string name, int files, long bytes, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours {name} files={files} bytes={bytes} seconds={seconds:F4}"));
}
