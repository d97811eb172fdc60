using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DiffuGts.Imaging.Segmentation;
using DiffuGts.Inference.Packages;
using DiffuGts.Node.Options;
using ImagingCode = DiffuGts.Imaging.Segmentation.CodedConcept;
using OverlayColor = DiffuGts.Imaging.Overlays.RgbColor;
using RgbColor = DiffuGts.Node.Options.RgbColor;

namespace DiffuGts.Node.Segmentation;

/// <summary>
/// From prompts to SEG segments, for the node (prompt sets from configuration) and the command line (bare prompt texts):
/// the segment definition of a prompt, the defaults of a prompt that no prompt set describes, and the derivation key
/// that makes result UIDs content-derived.
/// </summary>
public static class PromptSegments
{
    /// <summary>Segment Label (0062,0005) is LO: at most 64 characters (PS3.5 §6.2).</summary>
    private const int MaxLabelLength = 64;

    /// <summary>
    /// The prompt as configured when a prompt set in <paramref name="configured"/> has this text (or this label), ignoring
    /// case; otherwise label = the text, the <paramref name="index"/>-th overlay palette colour and the generic coding
    /// (Morphologically abnormal structure / Neoplasm, applied by <see cref="Definition"/>).
    /// </summary>
    public static PromptOptions ForText(string text, int index, IEnumerable<PromptOptions> configured)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentNullException.ThrowIfNull(configured);
        var trimmed = text.Trim();
        var known = configured.FirstOrDefault(p => string.Equals(p.Text.Trim(), trimmed, StringComparison.OrdinalIgnoreCase))
            ?? configured.FirstOrDefault(p => string.Equals(p.Label.Trim(), trimmed, StringComparison.OrdinalIgnoreCase));
        if (known is not null)
        {
            return new PromptOptions
            {
                Label = known.Label, Text = trimmed, Color = known.Color, Category = known.Category, Type = known.Type, Anatomy = known.Anatomy,
            };
        }

        var color = OverlayColor.ForSegment(index);
        return new PromptOptions
        {
            Label = trimmed.Length <= MaxLabelLength ? trimmed : trimmed[..MaxLabelLength],
            Text = trimmed,
            Color = string.Create(CultureInfo.InvariantCulture, $"#{color.R:X2}{color.G:X2}{color.B:X2}"),
        };
    }

    /// <summary>The SEG segment of a prompt; category and type default to (49755003, SCT) and (108369006, SCT).</summary>
    public static SegmentDefinition Definition(PromptOptions prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _ = RgbColor.TryParse(prompt.Color, out var color);
        return new SegmentDefinition(prompt.Label)
        {
            Category = Code(prompt.Category) ?? ImagingCode.MorphologicallyAbnormalStructure,
            Type = Code(prompt.Type) ?? ImagingCode.Neoplasm,
            AnatomicRegion = Code(prompt.Anatomy),
            Description = prompt.Text,
            Color = (color.R << 16) | (color.G << 8) | color.B,
        };
    }

    /// <summary>
    /// What makes two results the same result: the source instances (<paramref name="sourceKeys"/>, in any order), the
    /// rule, the prompts and the model. The same input gives the same key, so a re-run is not a duplicate, while a series
    /// that grew, another prompt or another model gives a new one.
    /// </summary>
    public static string DerivationKey(IEnumerable<string> sourceKeys, string ruleName, IEnumerable<PromptOptions> prompts, ModelManifest model)
    {
        ArgumentNullException.ThrowIfNull(sourceKeys);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(model);
        var text = new StringBuilder();
        foreach (var key in sourceKeys.Order(StringComparer.Ordinal))
        {
            text.Append(key).Append('\n');
        }

        text.Append(ruleName).Append('\n');
        foreach (var p in prompts)
        {
            text.Append(p.Label).Append('\t').Append(p.Text).Append('\n');
        }

        text.Append(model.Name).Append('\t').Append(model.Version);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static ImagingCode? Code(Options.CodedConcept? code) =>
        code is null ? null : new ImagingCode(code.Value, code.Scheme, code.Meaning);
}
