using System.Globalization;
using BenchmarkDotNet.Running;

namespace DiffuGts.Benchmarks;

/// <summary>
/// <c>codecs [N]</c>: quick codec throughput; <c>decode FILE [REPEATS]</c>: decode a compressed file's frames; <c>generate DIR N [SIZE]</c> and <c>part10 DIR [REPEATS]</c>: the Part 10
/// reader benchmark (scripts/bench-part10.sh). Anything else goes to BenchmarkDotNet (e.g. <c>--filter *Codec*</c>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "codecs")
        {
            return CodecThroughput.Run(args.Length > 1 ? Number(args[1]) : 50);
        }

        if (args.Length >= 2 && args[0] == "decode")
        {
            return CodecThroughput.DecodeFile(args[1], args.Length > 2 ? Number(args[2]) : 5);
        }

        if (args.Length >= 3 && args[0] == "generate")
        {
            return Part10Throughput.Generate(args[1], Number(args[2]), args.Length > 3 ? Number(args[3]) : 512);
        }

        if (args.Length >= 2 && args[0] == "part10")
        {
            return Part10Throughput.Measure(args[1], args.Length > 2 ? Number(args[2]) : 2);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
