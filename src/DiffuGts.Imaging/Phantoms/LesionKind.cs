namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Appearance of a synthetic lesion relative to its organ (portal venous phase). In the lung the same kinds map to
/// ground-glass (hypodense), solid (hyperdense), cavitating (rim-enhancing), thin-walled air cyst (cystic) and
/// spiculated (infiltrative) nodules; docs/phantoms.md gives the HU of each.
/// </summary>
public enum LesionKind
{
    /// <summary>Lower attenuation than the organ, moderately sharp margin (e.g. a metastasis).</summary>
    Hypodense,
    /// <summary>Higher attenuation than the organ (e.g. a hypervascular lesion).</summary>
    Hyperdense,
    /// <summary>Necrotic low-attenuation core inside an enhancing rim (e.g. an abscess or necrotic metastasis).</summary>
    RimEnhancing,
    /// <summary>Near water (0–15 HU), homogeneous, sharp edge, smooth round shape.</summary>
    Cystic,
    /// <summary>Ill-defined, irregular, mildly hypodense and heterogeneous.</summary>
    Infiltrative,
}
