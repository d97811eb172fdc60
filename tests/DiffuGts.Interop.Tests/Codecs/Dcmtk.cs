using System.Globalization;
using System.Text.RegularExpressions;
using DiffuGts.Testing;

namespace DiffuGts.Interop.Tests.Codecs;

/// <summary>Runs DCMTK tools for the codec interop tests and reads what they wrote.</summary>
internal static partial class Dcmtk
{
    public static string Run(string tool, params string[] arguments)
    {
        var result = ProcessRunner.Run(Peers.Require(tool), arguments, TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// The encapsulated frames of a compressed file, split by DCMTK itself: <c>dcmdump +W</c> writes each Pixel Data
    /// item (the Basic Offset Table first) to a file. Frames are mapped to fragments through the offset table (PS3.5
    /// A.4), or one fragment per frame when it is empty.
    /// </summary>
    public static (IReadOnlyList<byte[]> Frames, string Dump) ReadEncapsulatedFrames(string file, string itemDirectory, int frameCount)
    {
        Directory.CreateDirectory(itemDirectory);
        var dump = Run("dcmdump", "-Un", "+L", "+W", itemDirectory, file);
        var items = ItemFile().Matches(dump).Select(m => File.ReadAllBytes(ResolveItem(m.Groups[1].Value, itemDirectory))).ToList();
        if (items.Count < 2)
        {
            throw new InvalidOperationException($"{file} has no encapsulated fragments:\n{dump}");
        }

        var table = items[0];
        var fragments = items.Skip(1).ToList();
        var starts = new List<long>();
        long offset = 0;
        foreach (var fragment in fragments)
        {
            starts.Add(offset);
            offset += 8 + fragment.Length;
        }

        var firstFragment = new List<int>();
        if (table.Length == 0)
        {
            firstFragment.AddRange(frameCount == 1 ? [0] : Enumerable.Range(0, fragments.Count));
        }
        else
        {
            for (var f = 0; f < table.Length / 4; f++)
            {
                firstFragment.Add(starts.IndexOf(BitConverter.ToUInt32(table, 4 * f)));
            }
        }

        var frames = new List<byte[]>();
        for (var f = 0; f < firstFragment.Count; f++)
        {
            var end = f + 1 < firstFragment.Count ? firstFragment[f + 1] : fragments.Count;
            frames.Add([.. fragments.Skip(firstFragment[f]).Take(end - firstFragment[f]).SelectMany(b => b)]);
        }

        return (frames, dump);
    }

    /// <summary>A US value from a dcmdump listing, e.g. (0028,0006) Planar Configuration.</summary>
    public static int? UnsignedShort(string dump, string tag)
    {
        var match = Regex.Match(dump, $@"^\({Regex.Escape(tag)}\) US (\d+)", RegexOptions.Multiline | RegexOptions.IgnoreCase);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The Transfer Syntax UID from the meta header in a dcmdump listing.</summary>
    public static string TransferSyntax(string dump) =>
        Regex.Match(dump, @"^\(0002,0010\) UI \[([0-9.]+)", RegexOptions.Multiline).Groups[1].Value;

    private static string ResolveItem(string path, string directory) =>
        Path.IsPathRooted(path) ? path : Path.Combine(directory, Path.GetFileName(path));

    [GeneratedRegex(@"^\s*\(fffe,e000\) pi =(\S+)", RegexOptions.Multiline)]
    private static partial Regex ItemFile();
}
