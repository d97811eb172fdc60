namespace DiffuGts.Node;

/// <summary>Marker for the DiffuGts.Node assembly (used by architecture tests).</summary>
public static class AssemblyMarker
{
}
