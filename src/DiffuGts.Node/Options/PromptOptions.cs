namespace DiffuGts.Node.Options;

/// <summary>One prompt of a prompt set: the text the model sees and how its segment is labelled in the SEG.</summary>
public sealed class PromptOptions
{
    /// <summary>Segment Label (0062,0005), at most 64 characters.</summary>
    public string Label { get; set; } = "";

    /// <summary>The open-vocabulary prompt, e.g. "liver tumor".</summary>
    public string Text { get; set; } = "";

    /// <summary>Display colour as #RRGGBB (written as Recommended Display CIELab Value).</summary>
    public string Color { get; set; } = "#FF0000";

    /// <summary>Segmented Property Category; defaults to (49755003, SCT, "Morphologically abnormal structure").</summary>
    public CodedConcept? Category { get; set; }

    /// <summary>Segmented Property Type; defaults to (108369006, SCT, "Neoplasm").</summary>
    public CodedConcept? Type { get; set; }

    /// <summary>Anatomic Region, e.g. (10200004, SCT, "Liver").</summary>
    public CodedConcept? Anatomy { get; set; }
}
