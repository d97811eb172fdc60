namespace DiffuGts.Inference;

/// <summary>Marker for the DiffuGts.Inference assembly (used by architecture tests).</summary>
public static class AssemblyMarker
{
}
