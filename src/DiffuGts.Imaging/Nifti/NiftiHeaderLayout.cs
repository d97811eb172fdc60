namespace DiffuGts.Imaging.Nifti;

/// <summary>
/// Byte offsets of the NIfTI-1 single-file header (nifti1.h, <c>struct nifti_1_header</c>, 348 bytes), followed by the
/// 4-byte extension flag, so the voxels of a file we write start at 352.
/// </summary>
internal static class NiftiHeaderLayout
{
    public const int HeaderSize = 348;
    public const int VoxelOffset = 352;
    public const int SizeofHdr = 0;
    public const int Regular = 38;
    public const int Dim = 40;
    public const int Datatype = 70;
    public const int Bitpix = 72;
    public const int Pixdim = 76;
    public const int VoxOffset = 108;
    public const int SclSlope = 112;
    public const int SclInter = 116;
    public const int XyztUnits = 123;
    public const int Descrip = 148;
    public const int DescripLength = 80;
    public const int QformCode = 252;
    public const int SformCode = 254;
    public const int QuaternB = 256;
    public const int QoffsetX = 268;
    public const int SrowX = 280;
    public const int Magic = 344;

    /// <summary>NIFTI_XFORM_SCANNER_ANAT: coordinates are the scanner's (here: the DICOM patient frame, in RAS).</summary>
    public const short XformScannerAnat = 1;

    /// <summary>NIFTI_UNITS_MM | NIFTI_UNITS_SEC.</summary>
    public const byte UnitsMmSec = 2 | 8;

    public static int BytesPerVoxel(NiftiDataType type) => type switch
    {
        NiftiDataType.Unsigned8 or NiftiDataType.Signed8 => 1,
        NiftiDataType.Signed16 or NiftiDataType.Unsigned16 => 2,
        NiftiDataType.Signed32 or NiftiDataType.Unsigned32 or NiftiDataType.Real32 => 4,
        NiftiDataType.Real64 or NiftiDataType.Signed64 or NiftiDataType.Unsigned64 => 8,
        _ => throw new InvalidDataException($"NIfTI datatype {(short)type} is not supported"),
    };

    public static NiftiDataType DataTypeOf<T>()
        where T : unmanaged
    {
        var t = typeof(T);
        if (t == typeof(byte)) { return NiftiDataType.Unsigned8; }
        if (t == typeof(sbyte)) { return NiftiDataType.Signed8; }
        if (t == typeof(short)) { return NiftiDataType.Signed16; }
        if (t == typeof(ushort)) { return NiftiDataType.Unsigned16; }
        if (t == typeof(int)) { return NiftiDataType.Signed32; }
        if (t == typeof(uint)) { return NiftiDataType.Unsigned32; }
        if (t == typeof(long)) { return NiftiDataType.Signed64; }
        if (t == typeof(ulong)) { return NiftiDataType.Unsigned64; }
        if (t == typeof(float)) { return NiftiDataType.Real32; }
        if (t == typeof(double)) { return NiftiDataType.Real64; }
        throw new NotSupportedException($"no NIfTI datatype for {t.Name}");
    }
}
