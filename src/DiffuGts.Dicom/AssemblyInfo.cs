namespace DiffuGts.Dicom;

/// <summary>Marker for the DiffuGts.Dicom assembly (used by architecture tests).</summary>
public static class AssemblyMarker
{
}
