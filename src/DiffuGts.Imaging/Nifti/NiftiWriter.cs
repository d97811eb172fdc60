using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Nifti;

/// <summary>
/// Writes single-file NIfTI-1 (<c>.nii</c>, or <c>.nii.gz</c> through gzip) in little-endian byte order. Both the qform
/// (quaternion, method 2) and the sform (method 3) are written from the geometry, with codes NIFTI_XFORM_SCANNER_ANAT, so
/// readers that prefer either agree.
/// </summary>
public static class NiftiWriter
{
    public static void Write<T>(string path, Volume<T> volume, NiftiWriteOptions? options = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new NiftiWriteOptions();
        var compress = options.Compress ?? path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(file, volume, options with { Compress = compress });
    }

    public static void Write<T>(Stream stream, Volume<T> volume, NiftiWriteOptions? options = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(volume);
        options ??= new NiftiWriteOptions();
        if (options.Compress == true)
        {
            using var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            WriteRaw(gzip, volume, options);
        }
        else
        {
            WriteRaw(stream, volume, options);
        }
    }

    private static void WriteRaw<T>(Stream stream, Volume<T> volume, NiftiWriteOptions options)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("NIfTI writing assumes a little-endian host");
        }

        var header = BuildHeader(volume.Geometry, NiftiHeaderLayout.DataTypeOf<T>(), options);
        stream.Write(header);
        stream.Write(MemoryMarshal.AsBytes(volume.Data.AsSpan()));
    }

    internal static byte[] BuildHeader(VolumeGeometry g, NiftiDataType type, NiftiWriteOptions options)
    {
        var h = new byte[NiftiHeaderLayout.VoxelOffset];
        var span = h.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span[NiftiHeaderLayout.SizeofHdr..], NiftiHeaderLayout.HeaderSize);
        h[NiftiHeaderLayout.Regular] = (byte)'r';
        short[] dim = [3, Checked16(g.SizeX), Checked16(g.SizeY), Checked16(g.SizeZ), 1, 1, 1, 1];
        for (var n = 0; n < 8; n++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(NiftiHeaderLayout.Dim + 2 * n)..], dim[n]);
        }

        BinaryPrimitives.WriteInt16LittleEndian(span[NiftiHeaderLayout.Datatype..], (short)type);
        BinaryPrimitives.WriteInt16LittleEndian(span[NiftiHeaderLayout.Bitpix..], (short)(8 * NiftiHeaderLayout.BytesPerVoxel(type)));

        var (rotation, offset) = NiftiTransform.ToRas(g);
        var (b, c, d, qfac) = NiftiTransform.ToQuaternion(rotation);
        float[] pixdim = [(float)qfac, (float)g.Spacing.X, (float)g.Spacing.Y, (float)g.Spacing.Z, 1, 0, 0, 0];
        for (var n = 0; n < 8; n++)
        {
            WriteFloat(span, NiftiHeaderLayout.Pixdim + 4 * n, pixdim[n]);
        }

        WriteFloat(span, NiftiHeaderLayout.VoxOffset, NiftiHeaderLayout.VoxelOffset);
        WriteFloat(span, NiftiHeaderLayout.SclSlope, (float)options.ScaleSlope);
        WriteFloat(span, NiftiHeaderLayout.SclInter, (float)options.ScaleIntercept);
        h[NiftiHeaderLayout.XyztUnits] = NiftiHeaderLayout.UnitsMmSec;

        var description = options.Description ?? "";
        var descriptionBytes = Encoding.ASCII.GetBytes(description.Length > NiftiHeaderLayout.DescripLength - 1
            ? description[..(NiftiHeaderLayout.DescripLength - 1)]
            : description);
        descriptionBytes.CopyTo(span[NiftiHeaderLayout.Descrip..]);

        BinaryPrimitives.WriteInt16LittleEndian(span[NiftiHeaderLayout.QformCode..], NiftiHeaderLayout.XformScannerAnat);
        BinaryPrimitives.WriteInt16LittleEndian(span[NiftiHeaderLayout.SformCode..], NiftiHeaderLayout.XformScannerAnat);
        WriteFloat(span, NiftiHeaderLayout.QuaternB, (float)b);
        WriteFloat(span, NiftiHeaderLayout.QuaternB + 4, (float)c);
        WriteFloat(span, NiftiHeaderLayout.QuaternB + 8, (float)d);
        WriteFloat(span, NiftiHeaderLayout.QoffsetX, (float)offset.X);
        WriteFloat(span, NiftiHeaderLayout.QoffsetX + 4, (float)offset.Y);
        WriteFloat(span, NiftiHeaderLayout.QoffsetX + 8, (float)offset.Z);

        // sform rows: srow_r = [R_r0·sx, R_r1·sy, R_r2·sz, offset_r] for r = x, y, z.
        var cols = new[] { rotation.C0 * g.Spacing.X, rotation.C1 * g.Spacing.Y, rotation.C2 * g.Spacing.Z };
        for (var r = 0; r < 3; r++)
        {
            for (var col = 0; col < 3; col++)
            {
                WriteFloat(span, NiftiHeaderLayout.SrowX + 16 * r + 4 * col, (float)Component(cols[col], r));
            }

            WriteFloat(span, NiftiHeaderLayout.SrowX + 16 * r + 12, (float)Component(offset, r));
        }

        "n+1\0"u8.CopyTo(span[NiftiHeaderLayout.Magic..]);
        return h;
    }

    internal static double Component(Vector3D v, int axis) => axis switch
    {
        0 => v.X,
        1 => v.Y,
        _ => v.Z,
    };

    private static void WriteFloat(Span<byte> span, int offset, float value) =>
        BinaryPrimitives.WriteSingleLittleEndian(span[offset..], value);

    private static short Checked16(int size) => size <= short.MaxValue
        ? (short)size
        : throw new ArgumentOutOfRangeException(nameof(size), size, "NIfTI-1 dimensions are at most 32767");
}
