using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Nifti;

/// <summary>
/// A NIfTI-1 volume as read from disk: the stored voxels in their on-disk type, the geometry in our LPS frame and the
/// scaling (<c>scl_slope</c>, <c>scl_inter</c>) that turns stored values into real ones.
/// </summary>
public sealed class NiftiImage
{
    private readonly Array _voxels;

    internal NiftiImage(VolumeGeometry geometry, NiftiDataType dataType, double slope, double intercept, string description, Array voxels)
    {
        Geometry = geometry;
        DataType = dataType;
        ScaleSlope = slope;
        ScaleIntercept = intercept;
        Description = description;
        _voxels = voxels;
    }

    public VolumeGeometry Geometry { get; }

    public NiftiDataType DataType { get; }

    /// <summary>Effective slope: 1 when the file stores 0 (nifti1.h: "if scl_slope == 0, no scaling").</summary>
    public double ScaleSlope { get; }

    public double ScaleIntercept { get; }

    public string Description { get; }

    public bool IsScaled => ScaleSlope != 1.0 || ScaleIntercept != 0.0;

    /// <summary>The stored (unscaled) voxels; <typeparamref name="T"/> must match <see cref="DataType"/>.</summary>
    public Volume<T> GetStoredVolume<T>()
        where T : unmanaged
    {
        if (NiftiHeaderLayout.DataTypeOf<T>() != DataType)
        {
            throw new InvalidOperationException($"the file stores {DataType}; ask for that element type (or use {nameof(ToFloatVolume)})");
        }

        return new Volume<T>(Geometry, (T[])_voxels);
    }

    /// <summary>The real values, <c>slope·stored + intercept</c>, as float32 (a new buffer).</summary>
    public Volume<float> ToFloatVolume()
    {
        var result = new Volume<float>(Geometry);
        var dst = result.Data.AsSpan();
        var slope = ScaleSlope;
        var inter = ScaleIntercept;
        // Switch on the declared type, not the array: the CLR lets a ushort[] pass as short[] (and byte[] as sbyte[]).
        switch (DataType)
        {
            case NiftiDataType.Real32 when !IsScaled: ((float[])_voxels).AsSpan().CopyTo(dst); break;
            case NiftiDataType.Real32: Scale((float[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Real64: Scale((double[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Unsigned8: Scale((byte[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Signed8: Scale((sbyte[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Signed16: Scale((short[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Unsigned16: Scale((ushort[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Signed32: Scale((int[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Unsigned32: Scale((uint[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Signed64: Scale((long[])_voxels, dst, slope, inter); break;
            case NiftiDataType.Unsigned64: Scale((ulong[])_voxels, dst, slope, inter); break;
            default: throw new InvalidOperationException($"unexpected NIfTI datatype {DataType}");
        }

        return result;
    }

    private static void Scale<T>(T[] src, Span<float> dst, double slope, double inter)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (var n = 0; n < src.Length; n++)
        {
            dst[n] = (float)(double.CreateTruncating(src[n]) * slope + inter);
        }
    }
}
