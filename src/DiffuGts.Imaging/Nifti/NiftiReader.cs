using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Nifti;

/// <summary>
/// Reads single-file NIfTI-1 (<c>.nii</c>, gzip detected by its magic bytes) in either byte order. The geometry comes from
/// the sform when <c>sform_code</c> &gt; 0, else the qform when <c>qform_code</c> &gt; 0, else pixdim alone (nifti1.h
/// methods 3, 2, 1 — the order nibabel and ITK prefer too), converted from RAS to our LPS frame. Malformed or
/// unsupported files raise <see cref="InvalidDataException"/>.
/// </summary>
public static class NiftiReader
{
    public static NiftiImage Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file);
    }

    public static NiftiImage Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> magic = stackalloc byte[2];
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        var start = stream.Position;
        var got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        if (got == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            using var buffered = new BufferedStream(gzip, 1 << 16);
            return ReadRaw(buffered);
        }

        return ReadRaw(stream);
    }

    private static NiftiImage ReadRaw(Stream stream)
    {
        var header = new byte[NiftiHeaderLayout.HeaderSize];
        try
        {
            stream.ReadExactly(header);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("NIfTI file is shorter than its 348-byte header", e);
        }

        var h = new HeaderView(header);
        var magic = Encoding.ASCII.GetString(header, NiftiHeaderLayout.Magic, 3);
        if (magic == "ni1")
        {
            throw new InvalidDataException("two-file NIfTI-1 (.hdr/.img) is not supported; convert to a single .nii");
        }

        if (magic != "n+1")
        {
            throw new InvalidDataException($"not a NIfTI-1 single file: magic is '{magic.TrimEnd('\0')}', expected 'n+1'");
        }

        var rank = h.Int16(NiftiHeaderLayout.Dim);
        if (rank is < 1 or > 7)
        {
            throw new InvalidDataException($"NIfTI dim[0] = {rank}; must be 1..7");
        }

        var size = new int[3];
        for (var n = 1; n <= 7; n++)
        {
            var extent = n <= rank ? h.Int16(NiftiHeaderLayout.Dim + 2 * n) : 1;
            if (extent < 1)
            {
                throw new InvalidDataException($"NIfTI dim[{n}] = {extent}; must be positive");
            }

            if (n <= 3)
            {
                size[n - 1] = extent;
            }
            else if (extent != 1)
            {
                throw new InvalidDataException($"NIfTI dim[{n}] = {extent}: only 3D volumes are supported (4D and higher need extent 1)");
            }
        }

        var type = (NiftiDataType)h.Int16(NiftiHeaderLayout.Datatype);
        _ = NiftiHeaderLayout.BytesPerVoxel(type);
        var geometry = ReadGeometry(h, size[0], size[1], size[2]);

        var slope = (double)h.Single(NiftiHeaderLayout.SclSlope);
        var intercept = (double)h.Single(NiftiHeaderLayout.SclInter);
        if (slope == 0 || !double.IsFinite(slope))
        {
            (slope, intercept) = (1.0, 0.0);
        }

        if (!double.IsFinite(intercept))
        {
            intercept = 0;
        }

        var voxOffset = h.Single(NiftiHeaderLayout.VoxOffset);
        if (!(voxOffset >= NiftiHeaderLayout.HeaderSize) || voxOffset > int.MaxValue)
        {
            throw new InvalidDataException($"NIfTI vox_offset = {voxOffset}; a single file needs at least 348");
        }

        Skip(stream, (long)voxOffset - NiftiHeaderLayout.HeaderSize);
        var description = Encoding.ASCII.GetString(header, NiftiHeaderLayout.Descrip, NiftiHeaderLayout.DescripLength).TrimEnd('\0', ' ');
        var count = geometry.VoxelCount;
        var voxels = type switch
        {
            NiftiDataType.Unsigned8 => ReadVoxels<byte>(stream, count, h.Swap),
            NiftiDataType.Signed8 => ReadVoxels<sbyte>(stream, count, h.Swap),
            NiftiDataType.Signed16 => ReadVoxels<short>(stream, count, h.Swap),
            NiftiDataType.Unsigned16 => ReadVoxels<ushort>(stream, count, h.Swap),
            NiftiDataType.Signed32 => ReadVoxels<int>(stream, count, h.Swap),
            NiftiDataType.Unsigned32 => ReadVoxels<uint>(stream, count, h.Swap),
            NiftiDataType.Signed64 => ReadVoxels<long>(stream, count, h.Swap),
            NiftiDataType.Unsigned64 => ReadVoxels<ulong>(stream, count, h.Swap),
            NiftiDataType.Real32 => ReadVoxels<float>(stream, count, h.Swap),
            NiftiDataType.Real64 => (Array)ReadVoxels<double>(stream, count, h.Swap),
            _ => throw new InvalidDataException($"NIfTI datatype {(short)type} is not supported"),
        };
        return new NiftiImage(geometry, type, slope, intercept, description, voxels);
    }

    private static VolumeGeometry ReadGeometry(HeaderView h, int nx, int ny, int nz)
    {
        var sformCode = h.Int16(NiftiHeaderLayout.SformCode);
        var qformCode = h.Int16(NiftiHeaderLayout.QformCode);
        if (sformCode > 0)
        {
            var rows = new Vector3D[3];
            var offset = new double[3];
            for (var r = 0; r < 3; r++)
            {
                var at = NiftiHeaderLayout.SrowX + 16 * r;
                rows[r] = new Vector3D(h.Single(at), h.Single(at + 4), h.Single(at + 8));
                offset[r] = h.Single(at + 12);
            }

            return NiftiTransform.ToGeometry(nx, ny, nz,
                new Vector3D(rows[0].X, rows[1].X, rows[2].X),
                new Vector3D(rows[0].Y, rows[1].Y, rows[2].Y),
                new Vector3D(rows[0].Z, rows[1].Z, rows[2].Z),
                new Vector3D(offset[0], offset[1], offset[2]));
        }

        var sx = Pixdim(h, 1);
        var sy = Pixdim(h, 2);
        var sz = Pixdim(h, 3);
        if (qformCode > 0)
        {
            var qfac = h.Single(NiftiHeaderLayout.Pixdim) < 0 ? -1.0 : 1.0;
            var r = NiftiTransform.FromQuaternion(h.Single(NiftiHeaderLayout.QuaternB), h.Single(NiftiHeaderLayout.QuaternB + 4),
                h.Single(NiftiHeaderLayout.QuaternB + 8), qfac);
            var offset = new Vector3D(h.Single(NiftiHeaderLayout.QoffsetX), h.Single(NiftiHeaderLayout.QoffsetX + 4),
                h.Single(NiftiHeaderLayout.QoffsetX + 8));
            return NiftiTransform.ToGeometry(nx, ny, nz, r.C0 * sx, r.C1 * sy, r.C2 * sz, offset);
        }

        // Method 1 (nifti1.h, "for backwards compatibility"): world = pixdim·index, no rotation.
        return NiftiTransform.ToGeometry(nx, ny, nz, new Vector3D(sx, 0, 0), new Vector3D(0, sy, 0), new Vector3D(0, 0, sz), default);
    }

    private static double Pixdim(HeaderView h, int n)
    {
        var value = Math.Abs((double)h.Single(NiftiHeaderLayout.Pixdim + 4 * n));
        return value > 0 && double.IsFinite(value) ? value : 1.0;
    }

    private static T[] ReadVoxels<T>(Stream stream, long count, bool swap)
        where T : unmanaged
    {
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"NIfTI volume of {count} voxels is too large for one buffer");
        }

        var data = new T[count];
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"NIfTI voxel data is truncated: expected {bytes.Length} bytes", e);
        }

        if (swap)
        {
            var size = Marshal.SizeOf<T>();
            for (var n = 0; n < bytes.Length; n += size)
            {
                bytes.Slice(n, size).Reverse();
            }
        }

        return data;
    }

    private static void Skip(Stream stream, long count)
    {
        if (count <= 0)
        {
            return;
        }

        if (stream.CanSeek)
        {
            stream.Seek(count, SeekOrigin.Current);
            return;
        }

        var buffer = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (n == 0)
            {
                throw new InvalidDataException("NIfTI file ends inside its header extensions");
            }

            count -= n;
        }
    }

    /// <summary>Reads header fields in the file's byte order, detected from <c>sizeof_hdr</c> (348 in the right order).</summary>
    private readonly struct HeaderView
    {
        private readonly byte[] _bytes;

        public HeaderView(byte[] bytes)
        {
            _bytes = bytes;
            var le = BinaryPrimitives.ReadInt32LittleEndian(bytes);
            var be = BinaryPrimitives.ReadInt32BigEndian(bytes);
            if (le == NiftiHeaderLayout.HeaderSize)
            {
                Swap = !BitConverter.IsLittleEndian;
            }
            else if (be == NiftiHeaderLayout.HeaderSize)
            {
                Swap = BitConverter.IsLittleEndian;
            }
            else
            {
                throw new InvalidDataException($"not a NIfTI-1 file: sizeof_hdr is {le}, expected 348");
            }
        }

        /// <summary>True when the file's byte order differs from the host's.</summary>
        public bool Swap { get; }

        public short Int16(int offset)
        {
            var v = BitConverter.ToInt16(_bytes, offset);
            return Swap ? BinaryPrimitives.ReverseEndianness(v) : v;
        }

        public float Single(int offset)
        {
            var v = BitConverter.ToInt32(_bytes, offset);
            return BitConverter.Int32BitsToSingle(Swap ? BinaryPrimitives.ReverseEndianness(v) : v);
        }
    }
}
