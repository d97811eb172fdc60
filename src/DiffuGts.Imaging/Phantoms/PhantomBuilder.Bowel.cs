using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>Colon framing the abdomen and small-bowel loops filling the space below the mesocolon.</summary>
internal sealed partial class PhantomBuilder
{
    /// <summary>
    /// Bowel is painted first among the abdominal organs so solid organs displace it. The colon (radius 18–26 mm, haustral
    /// bulges from noise) holds mottled stool with gas; small-bowel loops are random walks of 12 mm radius whose contents
    /// are fluid, fluid with a gas level, or collapsed (wall only).
    /// </summary>
    private void PaintBowel()
    {
        var rng = _structures.Fork();
        var wall = Hu(PhantomLabel.Bowel);
        var stoolNoise = new LatticeNoise(_seed, 20);
        var haustra = new LatticeNoise(_seed, 21);
        var front = -_bIn;
        Vector3D J(double x, double y, double z) => new(x + rng.Range(-8, 8), y + rng.Range(-6, 6), z + rng.Range(-8, 8));
        var colonPoints = new[]
        {
            J(-_aIn * 0.6, -10, -150), J(-_aIn * 0.68, 0, -100), J(-_aIn * 0.7, 0, -50), J(-_aIn * 0.6, -20, -15),
            J(-_aIn * 0.3, front * 0.7, -35), J(0, front * 0.8, -50), J(_aIn * 0.35, front * 0.7, -20),
            J(_aIn * 0.65, -10, 30), J(_aIn * 0.7, 10, -20), J(_aIn * 0.7, 10, -100), J(_aIn * 0.4, -20, -160),
        };
        var colonRadii = colonPoints.Select(_ => rng.Range(18, 26)).ToArray();
        var colon = new Tube(colonPoints, colonRadii);
        var gasLevel = rng.Range(0.1, 0.6);
        PaintBowelTube(colon, wall, (x, y, z, along) =>
        {
            var n = stoolNoise.At(x, y, z, 4);
            var centreY = CentreY(colon, along);
            return y < centreY - gasLevel * 20 ? -1000 : n > 0.35 ? -950 : -30 + 60 * n;
        }, haustra);

        var loops = rng.Next(5, 9);
        for (var loop = 0; loop < loops; loop++)
        {
            var points = new List<Vector3D> { new(rng.Range(-_aIn * 0.45, _aIn * 0.45), rng.Range(front * 0.6, Yvb(0) - 40), rng.Range(-140, -30)) };
            var dir = new Vector3D(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()).Normalized();
            for (var step = 0; step < 14; step++)
            {
                var p = points[^1];
                var pull = new Vector3D(-p.X / _aIn, (front * 0.2 - p.Y) / _bIn, (-80 - p.Z) / 80);
                dir = (dir + new Vector3D(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()) * 0.7 + pull * 0.8).Normalized();
                points.Add(p + dir * 16);
            }

            var kind = rng.Next(0, 4);
            var radius = kind == 3 ? 7 : rng.Range(10, 13.5);
            var fluid = rng.Range(0, 25);
            var tube = new Tube(points, radius);
            PaintBowelTube(tube, wall, (x, y, z, along) => kind switch
            {
                1 when y < CentreY(tube, along) - 0.3 * radius => -1000,
                3 => wall,
                _ => fluid,
            }, haustra);
        }
    }

    private void PaintBowelTube(Tube tube, double wallHu, Func<double, double, double, double, double> lumenHu, LatticeNoise bulges)
    {
        _canvas.Paint(new Bounds(tube.Box.Min - new Vector3D(4, 4, 4), tube.Box.Max + new Vector3D(4, 4, 4)),
            (double x, double y, double z, int index, ref byte label, ref float hu) =>
            {
                if (label != (byte)PhantomLabel.VisceralFat || !InAbdomen(x, y, z, index, 2))
                {
                    return;
                }

                var d = tube.Distance(x, y, z, out var along) + 3 * bulges.At(x, y, z, 14);
                if (d >= 0)
                {
                    return;
                }

                label = (byte)PhantomLabel.Bowel;
                hu = (float)(d > -2.5 ? wallHu : lumenHu(x, y, z, along));
            });
    }

    private static double CentreY(Tube tube, double along)
    {
        var n = Math.Min((int)along, tube.Points.Count - 2);
        var t = along - n;
        return tube.Points[n].Y + (tube.Points[n + 1].Y - tube.Points[n].Y) * t;
    }
}
