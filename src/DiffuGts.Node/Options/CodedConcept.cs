namespace DiffuGts.Node.Options;

/// <summary>A coded concept (PS3.3 Table 8.8-1 Code Sequence Macro): scheme designator, code value, meaning.</summary>
public sealed class CodedConcept
{
    public string Scheme { get; set; } = "SCT";

    public string Value { get; set; } = "";

    public string Meaning { get; set; } = "";

    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";
}
