namespace DiffuGts.Imaging.Volumes;

/// <summary>
/// A 3D image on a <see cref="VolumeGeometry"/>: voxel (i, j, k) is at <c>Data[i + SizeX·(j + SizeY·k)]</c>. For CT the
/// values are modality units (HU); label maps use <c>byte</c> or <c>ushort</c>.
/// </summary>
public sealed class Volume<T>
    where T : unmanaged
{
    public Volume(VolumeGeometry geometry)
        : this(geometry, new T[checked((int)geometry.VoxelCount)])
    {
    }

    public Volume(VolumeGeometry geometry, T[] data)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != geometry.VoxelCount)
        {
            throw new ArgumentException($"data has {data.LongLength} voxels, the geometry {geometry.VoxelCount}", nameof(data));
        }

        Geometry = geometry;
        Data = data;
    }

    public VolumeGeometry Geometry { get; }

#pragma warning disable CA1819 // The voxel buffer is the volume; copying it on every access would defeat its purpose.
    public T[] Data { get; }
#pragma warning restore CA1819

    public int Index(int i, int j, int k) => i + Geometry.SizeX * (j + Geometry.SizeY * k);

    public T this[int i, int j, int k]
    {
        get => Data[Index(i, j, k)];
        set => Data[Index(i, j, k)] = value;
    }

    /// <summary>The voxels of slice k (a view, not a copy).</summary>
    public Span<T> Slice(int k) => Data.AsSpan(Geometry.SizeX * Geometry.SizeY * k, Geometry.SizeX * Geometry.SizeY);

    /// <summary>A new volume of another element type on the same grid.</summary>
    public Volume<TOut> Map<TOut>(Func<T, TOut> map)
        where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(map);
        var result = new Volume<TOut>(Geometry);
        for (var n = 0; n < Data.Length; n++)
        {
            result.Data[n] = map(Data[n]);
        }

        return result;
    }
}
