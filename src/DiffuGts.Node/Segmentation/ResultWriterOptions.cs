using DiffuGts.Imaging.Segmentation;
using DiffuGts.Inference.Packages;

namespace DiffuGts.Node.Segmentation;

/// <summary>Where and how <see cref="ResultObjectWriter"/> writes the result objects of one series.</summary>
public sealed record ResultWriterOptions
{
    /// <summary>The folder that receives <c>seg.dcm</c>, <c>overlays/</c> and <c>previews/</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The package that made the result: its name and version go into the SEG's algorithm and the overlay legend.</summary>
    public required ModelManifest Model { get; init; }

    /// <summary>What makes this result distinct (see <see cref="PromptSegments.DerivationKey"/>); result UIDs derive from it.</summary>
    public required string DerivationKey { get; init; }

    /// <summary>Whether an empty SEG says "nothing found" or nothing is written.</summary>
    public NoFindingsBehavior NoFindings { get; init; } = NoFindingsBehavior.SendNothing;

    /// <summary>fsync each file and its folder before returning (the node); a command-line run does not need it.</summary>
    public bool FlushToDisk { get; init; }

    /// <summary>Also write the overlay images as PNG under <c>previews/</c> for a quick look (the command line).</summary>
    public bool Previews { get; init; }
}
