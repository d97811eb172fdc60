namespace DiffuGts.Imaging.Segmentation;

/// <summary>
/// What one segment (one prompt's result) is: its label, coded category/type (default: morphologically abnormal structure /
/// neoplasm), optional anatomic region, and display colour as sRGB (written as CIELab, PS3.3 C.8.20.4).
/// </summary>
public sealed record SegmentDefinition(string Label)
{
    public CodedConcept Category { get; init; } = CodedConcept.MorphologicallyAbnormalStructure;

    public CodedConcept Type { get; init; } = CodedConcept.Neoplasm;

    public CodedConcept? AnatomicRegion { get; init; }

    public string? Description { get; init; }

    /// <summary>Display colour, 0xRRGGBB.</summary>
    public int Color { get; init; } = 0xFF3030;
}
