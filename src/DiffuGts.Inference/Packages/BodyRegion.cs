namespace DiffuGts.Inference.Packages;

/// <summary>MAISI v1's four body regions, in the one-hot order of its region-index inputs (method note §5.5).</summary>
public enum BodyRegion
{
    HeadNeck,
    Chest,
    Abdomen,
    Pelvis,
}
