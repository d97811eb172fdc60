namespace DiffuGts.Dicom.Network;

/// <summary>Marker for the DiffuGts.Dicom.Network assembly (used by architecture tests).</summary>
public static class AssemblyMarker
{
}
