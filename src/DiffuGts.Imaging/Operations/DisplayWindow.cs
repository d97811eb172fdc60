using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Operations;

/// <summary>
/// A VOI window (Window Center / Window Width, PS3.3 §C.11.2.1.2.1) mapped to 8-bit grey with the standard's LINEAR
/// function: x ≤ c − 0.5 − (w − 1)/2 → 0; x &gt; c − 0.5 + (w − 1)/2 → 255; otherwise ((x − (c − 0.5)) / (w − 1) + 0.5)·255.
/// </summary>
public readonly record struct DisplayWindow
{
    public DisplayWindow(double center, double width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1.0);
        Center = center;
        Width = width;
    }

    public double Center { get; }

    public double Width { get; }

    /// <summary>CT soft tissue / abdomen (40 / 400 HU).</summary>
    public static DisplayWindow CtSoftTissue { get; } = new(40, 400);

    /// <summary>CT liver (60 / 160 HU).</summary>
    public static DisplayWindow CtLiver { get; } = new(60, 160);

    /// <summary>CT lung (−600 / 1500 HU).</summary>
    public static DisplayWindow CtLung { get; } = new(-600, 1500);

    /// <summary>CT brain (40 / 80 HU).</summary>
    public static DisplayWindow CtBrain { get; } = new(40, 80);

    /// <summary>A window spanning the 1st to 99th percentile of the values (MR has no fixed units).</summary>
    public static DisplayWindow FromPercentiles(ReadOnlySpan<float> values, double low = 0.01, double high = 0.99)
    {
        if (values.IsEmpty)
        {
            return new DisplayWindow(0, 1);
        }

        // A strided sample keeps this cheap on whole volumes; percentiles of ~64k samples are accurate enough for display.
        var stride = Math.Max(1, values.Length / 65536);
        var sample = new float[(values.Length + stride - 1) / stride];
        for (var n = 0; n < sample.Length; n++)
        {
            sample[n] = values[n * stride];
        }

        Array.Sort(sample);
        var lo = sample[(int)(low * (sample.Length - 1))];
        var hi = sample[(int)(high * (sample.Length - 1))];
        var width = Math.Max(1.0, hi - lo);
        return new DisplayWindow(lo + width / 2 + 0.5, width + 1);
    }

    public byte Apply(float x)
    {
        var lower = Center - 0.5 - (Width - 1) / 2;
        var upper = Center - 0.5 + (Width - 1) / 2;
        if (x <= lower)
        {
            return 0;
        }

        if (x > upper)
        {
            return 255;
        }

        return (byte)Math.Round(((x - (Center - 0.5)) / (Width - 1) + 0.5) * 255);
    }

    public void Apply(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }

        // The same function, hoisted: y = x·scale + offset, clamped to [0, 255].
        var scale = 255.0 / (Width - 1);
        var offset = (0.5 - (Center - 0.5) / (Width - 1)) * 255;
        var lower = Center - 0.5 - (Width - 1) / 2;
        var upper = Center - 0.5 + (Width - 1) / 2;
        for (var n = 0; n < source.Length; n++)
        {
            var x = source[n];
            destination[n] = x <= lower ? (byte)0 : x > upper ? (byte)255 : (byte)Math.Round(Math.Clamp(x * scale + offset, 0, 255));
        }
    }

    public Volume<byte> Apply(Volume<float> volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var result = new Volume<byte>(volume.Geometry);
        var self = this;
        Parallel.For(0, volume.Geometry.SizeZ, k => self.Apply(volume.Slice(k), result.Slice(k)));
        return result;
    }
}
