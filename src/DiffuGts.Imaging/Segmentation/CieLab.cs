namespace DiffuGts.Imaging.Segmentation;

/// <summary>
/// sRGB → CIE 1976 L*a*b* (D65 white) → DICOM's scaled form for Recommended Display CIELab Value (PS3.3 C.10.7.1.1:
/// L* 0..100 → 0..0xFFFF, a* and b* −128..127 → 0..0xFFFF).
/// </summary>
public static class CieLab
{
    // D65 reference white = the matrix's row sums, so sRGB white maps to a* = b* = 0 exactly.
    private const double Xn = 0.4124564 + 0.3575761 + 0.1804375;
    private const double Yn = 0.2126729 + 0.7151522 + 0.0721750;
    private const double Zn = 0.0193339 + 0.1191920 + 0.9503041;

    public static (double L, double A, double B) FromRgb(int rgb)
    {
        var r = Linear((rgb >> 16) & 0xFF);
        var g = Linear((rgb >> 8) & 0xFF);
        var b = Linear(rgb & 0xFF);
        // IEC 61966-2-1 sRGB → XYZ matrix.
        var x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
        var y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
        var z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
        double fx = F(x / Xn), fy = F(y / Yn), fz = F(z / Zn);
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    public static ushort[] ToDicomScaled(int rgb)
    {
        var (l, a, b) = FromRgb(rgb);
        return
        [
            Scale(l / 100.0),
            Scale((Math.Clamp(a, -128, 127) + 128) / 255.0),
            Scale((Math.Clamp(b, -128, 127) + 128) / 255.0),
        ];
    }

    private static ushort Scale(double unit) => (ushort)Math.Round(Math.Clamp(unit, 0, 1) * 0xFFFF);

    private static double Linear(int c)
    {
        var v = c / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}
