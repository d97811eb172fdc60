using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Overlays;

/// <summary>
/// Patient Orientation (0020,0020) from direction cosines (PS3.3 C.7.6.1.1.1): for the row and the column direction, the
/// letters of the patient axes it points along (L/R, P/A, H/F in LPS), principal axis first, minor ones that contribute
/// noticeably after it.
/// </summary>
internal static class PatientOrientation
{
    /// <summary>Components smaller than this (about 15°) are left out of the letters.</summary>
    private const double MinorComponent = 0.25;

    public static string[] Describe(Vector3D row, Vector3D column) => [Letters(row), Letters(column)];

    public static string Letters(Vector3D direction)
    {
        (double Value, char Positive, char Negative)[] axes =
        [
            (direction.X, 'L', 'R'),
            (direction.Y, 'P', 'A'),
            (direction.Z, 'H', 'F'),
        ];
        var letters = axes
            .Where(a => Math.Abs(a.Value) >= MinorComponent)
            .OrderByDescending(a => Math.Abs(a.Value))
            .Select(a => a.Value > 0 ? a.Positive : a.Negative)
            .ToArray();
        return letters.Length == 0 ? string.Empty : new string(letters);
    }
}
