using DiffuGts.Dicom;
using DiffuGts.Dicom.Dictionary;

namespace DiffuGts.Imaging.Segmentation;

/// <summary>A coded concept (Code Sequence macro, PS3.3 Table 8.8-1): value, coding scheme designator, meaning.</summary>
public sealed record CodedConcept(string Value, string Scheme, string Meaning)
{
    /// <summary>SCT 49755003, CID 7150: the default segment category for tumours.</summary>
    public static CodedConcept MorphologicallyAbnormalStructure { get; } = new("49755003", "SCT", "Morphologically Abnormal Structure");

    /// <summary>SCT 108369006, CID 7151: the default segment type.</summary>
    public static CodedConcept Neoplasm { get; } = new("108369006", "SCT", "Neoplasm");

    public static CodedConcept Mass { get; } = new("4147007", "SCT", "Mass");

    public static CodedConcept Lesion { get; } = new("52988006", "SCT", "Lesion");

    public static CodedConcept Liver { get; } = new("10200004", "SCT", "Liver");

    public static CodedConcept Kidney { get; } = new("64033007", "SCT", "Kidney");

    public static CodedConcept Pancreas { get; } = new("15776009", "SCT", "Pancreas");

    public static CodedConcept Lung { get; } = new("39607008", "SCT", "Lung");

    public static CodedConcept Colon { get; } = new("71854001", "SCT", "Colon");

    public static CodedConcept Brain { get; } = new("12738006", "SCT", "Brain");

    /// <summary>DCM 113076, CID 7203: the derivation of a segmentation.</summary>
    public static CodedConcept SegmentationDerivation { get; } = new("113076", "DCM", "Segmentation");

    /// <summary>DCM 121322, CID 7202: purpose of reference of a SEG or overlay's source image.</summary>
    public static CodedConcept SourceImageForProcessing { get; } = new("121322", "DCM", "Source image for image processing operation");

    /// <summary>DCM 123110, CID 7162: algorithm family.</summary>
    public static CodedConcept ArtificialIntelligence { get; } = new("123110", "DCM", "Artificial Intelligence");

    internal DicomDataset ToItem() => new DicomDataset()
        .AddOrUpdate(DicomTags.CodeValue, Value)
        .AddOrUpdate(DicomTags.CodingSchemeDesignator, Scheme)
        .AddOrUpdate(DicomTags.CodeMeaning, Meaning);
}
