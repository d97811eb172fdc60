namespace DiffuGts.Imaging.Phantoms;

/// <summary>Image formation: tissue texture, scanner blur, correlated noise, the reconstruction circle, quantisation.</summary>
internal sealed partial class PhantomBuilder
{
    /// <summary>Smooth parenchymal texture per tissue; each label reads a different region of one noise field.</summary>
    private void AddTexture()
    {
        _canvas.Paint(Bounds.Everywhere, (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (label == (byte)PhantomLabel.Background)
            {
                return;
            }

            var l = (PhantomLabel)label;
            var scale = l switch
            {
                PhantomLabel.Vertebra or PhantomLabel.Rib => 3.0,
                PhantomLabel.Pancreas => 4.0,
                _ => 7.0,
            };
            hu += (float)(TissueTable.Texture(l) * _texture.Fractal(x + 1000 * label, y, z, scale));
        });
    }

    /// <summary>
    /// Blur with the scanner's point spread (σ = 0.5 voxel + 0.4 mm), then add white noise filtered to about a voxel's
    /// correlation length and rescaled to the target standard deviation. Outside the circular reconstruction field the
    /// scanner writes −1024 exactly. Finally HU are rounded to integers, as the DICOM series stores them.
    /// </summary>
    private void FormImage()
    {
        var g = _canvas.Geometry;
        double Sigma(double spacing) => 0.5 + 0.4 / spacing;
        var hu = _canvas.Hu;
        GaussianFilter.Apply(hu, g.SizeX, g.SizeY, g.SizeZ,
            GaussianFilter.Kernel(Sigma(g.Spacing.X)), GaussianFilter.Kernel(Sigma(g.Spacing.Y)), GaussianFilter.Kernel(g.SizeZ > 1 ? Sigma(g.Spacing.Z) : 0));

        var rng = _structures.Fork();
        var std = _options.NoiseHu ?? rng.Range(8, 16);
        var noise = new float[hu.Length];
        var key = SplitMix64.Mix(_seed ^ 0xA0761D6478BD642FUL);
        Parallel.For(0, g.SizeZ, k =>
        {
            var plane = g.SizeX * g.SizeY;
            for (var n = k * plane; n < (k + 1) * plane; n++)
            {
                // Irwin–Hall sum of four 16-bit uniforms: mean 2, variance 1/3 → scaled to unit variance.
                var h = SplitMix64.Mix(key ^ unchecked((ulong)n * 0x9E3779B97F4A7C15UL));
                var sum = (h & 0xFFFF) + ((h >> 16) & 0xFFFF) + ((h >> 32) & 0xFFFF) + (h >> 48);
                noise[n] = (float)((sum / 65536.0 - 2) * 1.7320508075688772);
            }
        });

        double[] nxK = GaussianFilter.Kernel(0.9), nyK = GaussianFilter.Kernel(0.9), nzK = GaussianFilter.Kernel(g.SizeZ > 1 ? 0.6 : 0);
        GaussianFilter.Apply(noise, g.SizeX, g.SizeY, g.SizeZ, nxK, nyK, nzK);
        var gain = std / Math.Sqrt(GaussianFilter.VarianceGain(nxK) * GaussianFilter.VarianceGain(nyK) * GaussianFilter.VarianceGain(nzK));

        var fov = Math.Min(g.SizeX * g.Spacing.X, g.SizeY * g.Spacing.Y) / 2;
        _canvas.Paint(Bounds.Everywhere, (double x, double y, double z, int index, ref byte label, ref float value) =>
        {
            var v = x * x + y * y > fov * fov ? -1024 : value + noise[index] * gain;
            value = (float)Math.Clamp(Math.Round(v), -1024, 3071);
        });
    }
}
