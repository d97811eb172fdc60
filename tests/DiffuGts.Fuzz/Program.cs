using SharpFuzz;

namespace DiffuGts.Fuzz;

/// <summary>
/// SharpFuzz harness. <c>DiffuGts.Fuzz TARGET</c> runs TARGET under afl-fuzz (the AFL fork server; run once when not
/// under afl-fuzz); <c>--replay TARGET FILE…</c> runs files in-process and prints any crash; <c>--seeds TARGET DIR</c>
/// writes generated seed inputs. scripts/fuzz.sh drives it.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--replay" && FuzzTargets.Find(args[1]) is { } replayed)
        {
            return Replay(replayed, args[2..]);
        }

        if (args.Length == 3 && args[0] == "--seeds" && FuzzTargets.Find(args[1]) is not null)
        {
            return Seeds.Write(args[1], args[2]);
        }

        if (args.Length == 1 && FuzzTargets.Find(args[0]) is { } target)
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                target(buffer.ToArray());
            });
            return 0;
        }

        Console.Error.WriteLine($"usage: DiffuGts.Fuzz TARGET | --replay TARGET FILE... | --seeds TARGET DIR   (targets: {string.Join(", ", FuzzTargets.Names)})");
        return 2;
    }

    private static int Replay(Action<byte[]> target, string[] files)
    {
        var crashes = 0;
        foreach (var file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // A crash is reported, not rethrown: every file is replayed.
            catch (Exception e)
#pragma warning restore CA1031
            {
                crashes++;
                Console.WriteLine($"CRASH {file}: {e}");
            }
        }

        Console.WriteLine($"{files.Length} replayed, {crashes} crashed");
        return crashes == 0 ? 0 : 1;
    }
}
