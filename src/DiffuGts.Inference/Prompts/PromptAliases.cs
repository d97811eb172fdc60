using System.Text.RegularExpressions;

namespace DiffuGts.Inference.Prompts;

/// <summary>
/// Abbreviations and eponyms expanded before encoding: a general-domain sentence encoder places them poorly
/// (research/text-encoder.md: HCC, Wilms and meningioma won by thin margins). Whole words only, case-insensitive.
/// </summary>
public static partial class PromptAliases
{
    private static readonly Dictionary<string, string> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hcc"] = "hepatocellular carcinoma",
        ["rcc"] = "renal cell carcinoma",
        ["ccrcc"] = "clear cell renal cell carcinoma",
        ["gbm"] = "glioblastoma",
        ["nsclc"] = "non-small cell lung cancer",
        ["sclc"] = "small cell lung cancer",
        ["pdac"] = "pancreatic ductal adenocarcinoma",
        ["crc"] = "colorectal cancer",
        ["icc"] = "intrahepatic cholangiocarcinoma",
        ["gist"] = "gastrointestinal stromal tumor",
        ["pnet"] = "pancreatic neuroendocrine tumor",
        ["met"] = "metastasis",
        ["mets"] = "metastases",
        ["wilms"] = "wilms tumor nephroblastoma of the kidney",
        ["meningioma"] = "meningioma brain tumor of the meninges",
        ["lesion"] = "lesion",
    };

    /// <summary>Trims, collapses white space, lower-cases and expands every alias word.</summary>
    public static string Normalise(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var text = Whitespace().Replace(prompt.Trim(), " ").ToLowerInvariant();
        return Word().Replace(text, m => Table.TryGetValue(m.Value, out var expansion) ? expansion : m.Value);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[a-z0-9]+")]
    private static partial Regex Word();
}
