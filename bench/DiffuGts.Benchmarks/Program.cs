using System.Globalization;
using BenchmarkDotNet.Running;

namespace DiffuGts.Benchmarks;

/// <summary>
/// <c>codecs [N]</c>: quick codec throughput. Anything else goes to BenchmarkDotNet (e.g. <c>--filter *Codec*</c>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "codecs")
        {
            return CodecThroughput.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
