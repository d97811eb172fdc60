using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Dicom.IO;

/// <summary>
/// Implicit VR leaves "US or SS" attributes (Smallest/Largest Pixel Value, Pixel Padding Value, LUT descriptors...)
/// undecided; PS3.5 Annex A.1 resolves them by Pixel Representation: SS when the pixels are signed (1), else US. The
/// reader labels them US first; this pass relabels them where an enclosing dataset says the pixels are signed.
/// </summary>
internal static class AmbiguousVR
{
    public static void Resolve(DicomDataset dataset, int inheritedPixelRepresentation = 0)
    {
        var pixelRepresentation = dataset.GetValueOrDefault(DicomTags.PixelRepresentation, inheritedPixelRepresentation);
        List<DicomElement>? relabel = null;
        foreach (var item in dataset)
        {
            if (item is DicomSequence sequence)
            {
                foreach (var child in sequence.Items)
                {
                    Resolve(child, pixelRepresentation);
                }
            }
            else if (pixelRepresentation == 1 && item is DicomElement { VR.Code: "US" } element && IsUsOrSs(element.Tag))
            {
                (relabel ??= []).Add(element);
            }
        }

        foreach (var element in relabel ?? [])
        {
            dataset.AddOrUpdate(new DicomElement(element.Tag, DicomVR.SS, element.Buffer));
        }
    }

    private static bool IsUsOrSs(DicomTag tag) =>
        DicomDictionary.Find(tag) is { ValueRepresentations: [var first, var second] } && first == DicomVR.US && second == DicomVR.SS;
}
