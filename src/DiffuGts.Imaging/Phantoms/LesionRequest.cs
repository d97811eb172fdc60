namespace DiffuGts.Imaging.Phantoms;

/// <summary>One lesion to place: an organ (<see cref="PhantomLabel.Liver"/>, <see cref="PhantomLabel.KidneyCortex"/>,
/// <see cref="PhantomLabel.Spleen"/>, <see cref="PhantomLabel.Pancreas"/> or <see cref="PhantomLabel.Lung"/>) and a kind.</summary>
public sealed record LesionRequest(PhantomLabel Organ, LesionKind Kind)
{
    /// <summary>The organs a lesion may be placed in, by the names the command line accepts.</summary>
    public static IReadOnlyDictionary<string, PhantomLabel> Organs { get; } = new Dictionary<string, PhantomLabel>(StringComparer.OrdinalIgnoreCase)
    {
        ["liver"] = PhantomLabel.Liver,
        ["kidney"] = PhantomLabel.KidneyCortex,
        ["spleen"] = PhantomLabel.Spleen,
        ["pancreas"] = PhantomLabel.Pancreas,
        ["lung"] = PhantomLabel.Lung,
    };

    /// <summary>The lesion kinds by their command-line names.</summary>
    public static IReadOnlyDictionary<string, LesionKind> Kinds { get; } = new Dictionary<string, LesionKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["hypodense"] = LesionKind.Hypodense,
        ["hyperdense"] = LesionKind.Hyperdense,
        ["rim-enhancing"] = LesionKind.RimEnhancing,
        ["cystic"] = LesionKind.Cystic,
        ["infiltrative"] = LesionKind.Infiltrative,
    };

    /// <summary>Parses <c>ORGAN:KIND</c>, e.g. <c>liver:rim-enhancing</c>.</summary>
    /// <exception cref="FormatException">The text names no known organ or kind.</exception>
    public static LesionRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length != 2)
        {
            throw new FormatException($"lesion '{text}' must be ORGAN:KIND, e.g. liver:hypodense");
        }

        if (!Organs.TryGetValue(parts[0].Trim(), out var organ))
        {
            throw new FormatException($"lesion '{text}': unknown organ '{parts[0]}' (one of {string.Join(", ", Organs.Keys)})");
        }

        if (!Kinds.TryGetValue(parts[1].Trim(), out var kind))
        {
            throw new FormatException($"lesion '{text}': unknown kind '{parts[1]}' (one of {string.Join(", ", Kinds.Keys)})");
        }

        return new LesionRequest(organ, kind);
    }

    public static string OrganName(PhantomLabel organ) => Organs.First(o => o.Value == organ).Key;

    public static string KindName(LesionKind kind) => Kinds.First(k => k.Value == kind).Key;
}
