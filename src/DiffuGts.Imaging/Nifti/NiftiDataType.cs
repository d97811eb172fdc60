namespace DiffuGts.Imaging.Nifti;

/// <summary>The NIfTI-1 <c>datatype</c> codes we read and write (nifti1.h DT_UINT8 … DT_UINT64; named by signedness and width).</summary>
public enum NiftiDataType : short
{
    Unsigned8 = 2,
    Signed16 = 4,
    Signed32 = 8,
    Real32 = 16,
    Real64 = 64,
    Signed8 = 256,
    Unsigned16 = 512,
    Unsigned32 = 768,
    Signed64 = 1024,
    Unsigned64 = 1280,
}
