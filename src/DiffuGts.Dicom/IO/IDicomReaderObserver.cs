namespace DiffuGts.Dicom.IO;

/// <summary>
/// Receives what the reader finds, in file order (fo-dicom's observer seam): elements, sequence and item boundaries, and
/// encapsulated Pixel Data. A consumer decides what to build; <see cref="DicomDatasetReader"/> builds a
/// <see cref="DicomDataset"/> with one. Calls nest: every begin has its end unless the input ends early in lenient mode.
/// </summary>
public interface IDicomReaderObserver
{
    void OnElement(DicomElement element);

    /// <summary>A sequence starts (VR SQ, or UN holding an implicit-VR sequence: PS3.5 §6.2.2).</summary>
    void OnBeginSequence(DicomTag tag);

    /// <summary>Item <paramref name="index"/> (0-based) of the open sequence starts.</summary>
    void OnBeginItem(int index);

    void OnEndItem();

    void OnEndSequence();

    /// <summary>Encapsulated Pixel Data with its offset table and fragments (PS3.5 §A.4).</summary>
    void OnFragmentSequence(DicomFragmentSequence pixelData);
}
