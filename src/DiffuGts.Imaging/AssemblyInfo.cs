namespace DiffuGts.Imaging;

/// <summary>Marker for the DiffuGts.Imaging assembly (used by architecture tests).</summary>
public static class AssemblyMarker
{
}
