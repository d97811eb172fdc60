using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Operations;

/// <summary>
/// The result of <see cref="ConnectedComponents.Label"/>: a label per voxel (0 = background, 1..Count = components, in
/// order of their first voxel in memory order) and each component's voxel count.
/// </summary>
public sealed class ComponentLabeling
{
    private readonly long[] _sizes;

    internal ComponentLabeling(Volume<int> labels, long[] sizes)
    {
        Labels = labels;
        _sizes = sizes;
    }

    public Volume<int> Labels { get; }

    public int Count => _sizes.Length;

    /// <summary>Voxel count of component <paramref name="label"/> (1-based).</summary>
    public long SizeOf(int label) => _sizes[label - 1];

    /// <summary>Voxel counts of components 1..Count, in label order.</summary>
    public IReadOnlyList<long> Sizes => _sizes;

    /// <summary>The label of the largest component, or 0 when there is none.</summary>
    public int Largest
    {
        get
        {
            var best = 0;
            for (var n = 0; n < _sizes.Length; n++)
            {
                if (best == 0 || _sizes[n] > _sizes[best - 1])
                {
                    best = n + 1;
                }
            }

            return best;
        }
    }

    /// <summary>A mask (1 inside) of the components whose label satisfies <paramref name="keep"/>.</summary>
    public Volume<byte> Mask(Func<int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var lookup = new byte[_sizes.Length + 1];
        for (var n = 1; n <= _sizes.Length; n++)
        {
            lookup[n] = keep(n) ? (byte)1 : (byte)0;
        }

        var result = new Volume<byte>(Labels.Geometry);
        var src = Labels.Data;
        var dst = result.Data;
        for (var n = 0; n < src.Length; n++)
        {
            dst[n] = lookup[src[n]];
        }

        return result;
    }

    /// <summary>A mask of the components with at least <paramref name="minimumVoxels"/> voxels.</summary>
    public Volume<byte> MaskOfComponentsAtLeast(long minimumVoxels) => Mask(label => _sizes[label - 1] >= minimumVoxels);
}
