namespace DiffuGts.Imaging.Phantoms;

/// <summary>Contrast timing, which sets the HU of blood and enhancing organs.</summary>
public enum ContrastPhase
{
    /// <summary>No intravenous contrast: blood ≈ 40 HU, liver 55–65 HU.</summary>
    NonContrast,
    /// <summary>Portal venous phase (about 70 s): aorta ≈ 160 HU, portal vein ≈ 170 HU, liver ≈ 105 HU.</summary>
    PortalVenous,
}
