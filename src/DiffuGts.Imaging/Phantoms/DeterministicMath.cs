namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Transcendental functions built only from IEEE-754 +, −, ×, ÷ (each correctly rounded), so they give the same bits on
/// every machine. <see cref="Math.Exp"/> and <see cref="Math.Sin"/> call the platform's libm, whose last bit differs
/// between C libraries and CPUs; one flipped bit could round a voxel differently and break byte-identical phantoms.
/// Accuracy is about 1e-12 relative, far more than a phantom needs.
/// </summary>
internal static class DeterministicMath
{
    private const double Ln2 = 0.69314718055994530942;

    /// <summary>e^x by range reduction x = n·ln2 + r, |r| ≤ ln2/2, and a Taylor series in r.</summary>
    public static double Exp(double x)
    {
        if (x < -700)
        {
            return 0;
        }

        if (x > 700)
        {
            return double.PositiveInfinity;
        }

        var n = Math.Floor(x / Ln2 + 0.5);
        var r = x - n * Ln2;
        double term = 1, sum = 1;
        for (var i = 1; i < 18; i++)
        {
            term *= r / i;
            sum += term;
        }

        return Math.ScaleB(sum, (int)n);
    }

    /// <summary>sin x by reduction to [−π, π] and a Taylor series (x stays within a few turns here).</summary>
    public static double Sin(double x)
    {
        var turns = Math.Floor(x / (2 * Math.PI) + 0.5);
        var r = x - turns * (2 * Math.PI);
        double term = r, sum = r, r2 = r * r;
        for (var i = 1; i < 16; i++)
        {
            term *= -r2 / ((2 * i) * (2 * i + 1));
            sum += term;
        }

        return sum;
    }

    public static double Cos(double x) => Sin(x + Math.PI / 2);

    /// <summary>The quintic fade 6t⁵ − 15t⁴ + 10t³ of improved Perlin noise: C² at t = 0 and 1.</summary>
    public static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);

    /// <summary>Hermite smoothstep from 0 at <paramref name="edge0"/> to 1 at <paramref name="edge1"/>.</summary>
    public static double SmoothStep(double edge0, double edge1, double x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    /// <summary>Polynomial smooth minimum (blend width k, mm): joins two distance fields without a crease.</summary>
    public static double SmoothMin(double a, double b, double k)
    {
        var h = Math.Clamp(0.5 + 0.5 * (b - a) / k, 0, 1);
        return b + (a - b) * h - k * h * (1 - h);
    }
}
