using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>Lungs, diaphragm, mediastinum, heart, great vessels and airway.</summary>
internal sealed partial class PhantomBuilder
{
    private OrientedEllipsoid _heart;
    private Tube? _aorta, _ivc, _trachea;
    private double _zCarina;

    /// <summary>Places the heart and carina first: the IVC and the vessel trees need them before the mediastinum is painted.</summary>
    private void PlanThorax()
    {
        var rng = _structures.Fork();
        var zHeartBase = Diaphragm(15, -30);
        var scale = rng.Range(0.9, 1.1);
        _heart = OrientedEllipsoid.Create(
            new Vector3D(rng.Range(10, 25), -_bIn + 50 * scale + rng.Range(-5, 5), zHeartBase + 50 * scale),
            new Vector3D(62 * scale, 46 * scale, 52 * scale),
            yawRad: rng.Range(-0.8, -0.55), pitchRad: rng.Range(0.35, 0.6));
        _zCarina = _heart.Centre.Z + rng.Range(75, 90);
    }

    /// <summary>Above the diaphragm the cavity is lung (denser in the dependent, posterior part); the diaphragm is a 5 mm muscle sheet.</summary>
    private void PaintThoracicCavity()
    {
        var lung = Hu(PhantomLabel.Lung);
        var muscle = Hu(PhantomLabel.Muscle);
        _canvas.Paint(new Bounds(new(-1e6, -1e6, _zDomeL - 110), new(1e6, 1e6, 1e6)), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (label != (byte)PhantomLabel.VisceralFat)
            {
                return;
            }

            var dz = z - Diaphragm(x, y);
            if (dz > 0 && InLungApex(x, y, z, index))
            {
                label = (byte)PhantomLabel.Lung;
                hu = (float)(lung + 70 * DeterministicMath.SmoothStep(-_b, _b, y));
            }
            else if (dz > -5 && dz <= 0)
            {
                label = (byte)PhantomLabel.Muscle;
                hu = (float)muscle;
            }
        });
    }

    /// <summary>Lungs narrow into domes above z ≈ 280 mm (the apices).</summary>
    private bool InLungApex(double x, double y, double z, int index)
    {
        if (z < 280)
        {
            return _cavityDepth[index] > 1;
        }

        var f = (z - 280) / 60;
        return f < 1 && _cavityDepth[index] > 1 + (Math.Sqrt(x * x + y * y) + 20) * f * f;
    }

    /// <summary>
    /// The mediastinum (fat band anterior to the spine), pericardial fat, heart (myocardium around contrast-filled chambers,
    /// a thick left ventricle), aortic arch, pulmonary arteries, oesophagus, trachea and main bronchi. The heart and the
    /// aorta tubes are also needed in the abdomen window (the IVC enters the right atrium), so they are always built.
    /// </summary>
    private void PaintMediastinum()
    {
        var rng = _structures.Fork();
        var fat = Hu(PhantomLabel.VisceralFat);
        var spine = Xs(_zCarina);
        var carina = new Vector3D(spine, Yvb(_zCarina) - VertebraRy(_zCarina) - 24, _zCarina);
        var heart = _heart;
        var zDia = Diaphragm(0, 0);

        // Mediastinal fat: a band in front of the spine, widest around the heart.
        _canvas.Paint(new Bounds(new(-60, -200, zDia - 10), new(60, 200, 1e6)), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (label != (byte)PhantomLabel.Lung)
            {
                return;
            }

            var dx = x - Xs(z);
            if (Math.Abs(dx) < 20 + 6 * _bodyNoise.At(x, y, z, 30) && y < Yvb(z) + 6 || heart.Distance(x, y, z) < 5)
            {
                label = (byte)PhantomLabel.VisceralFat;
                hu = (float)fat;
            }
        });

        var blood = Hu(PhantomLabel.Heart);
        var myocardium = _phase == ContrastPhase.PortalVenous ? 100.0 : 45.0;
        _canvas.Paint(heart.Bounds(2), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            var d = heart.Distance(x, y, z);
            if (d >= 0 || z < Diaphragm(x, y) - 2 || _cavityDepth[index] < 2)
            {
                return;
            }

            var q = heart.Local(x, y, z);
            // Local +x points to the apex (left, anterior, inferior) and +y to the left ventricle (left, posterior).
            var wall = q.Y > 0 ? 11 : 4;
            var septum = Math.Abs(q.Y - 0.1 * heart.Radii.Y) < 5 && q.X > -0.35 * heart.Radii.X;
            label = (byte)PhantomLabel.Heart;
            hu = (float)(-d < wall || septum ? myocardium : blood);
        });

        _aorta = AortaTube(rng);
        PaintTube(_aorta, PhantomLabel.Aorta, requireCavity: false);

        // Pulmonary trunk from the right ventricular outflow up and back to the bifurcation, then to each hilum.
        var outflow = heart.Centre + heart.Axes.C0 * (-0.2 * heart.Radii.X) + new Vector3D(-5, -15, heart.Radii.Z * 0.6);
        var bifurcation = new Vector3D(spine + 20, carina.Y - 15, _zCarina - 15);
        var trunk = new Tube([outflow, bifurcation], [14, 13]);
        var rightPa = new Tube([bifurcation, new(spine - 10, carina.Y - 5, _zCarina - 22), new(spine - 48, carina.Y + 5, _zCarina - 35)], [11, 11, 8]);
        var leftPa = new Tube([bifurcation, new(spine + 45, carina.Y + 10, _zCarina - 25)], [11, 8]);
        foreach (var pa in new[] { trunk, rightPa, leftPa })
        {
            PaintTube(pa, PhantomLabel.PulmonaryArtery, requireCavity: false);
        }

        var esophagus = new Tube(
            [new(spine + 3, carina.Y + 14, 400), new(spine + 3, carina.Y + 14, _zCarina), new(spine + 8, carina.Y + 6, zDia + 20),
             new(spine + 25, carina.Y - 5, zDia - 15)],
            7);
        PaintTube(esophagus, PhantomLabel.Esophagus, requireCavity: false, onlyOver: PhantomLabel.VisceralFat);

        _trachea = new Tube([new(spine, carina.Y, 400), carina], 9.5);
        var bronchi = new[]
        {
            new Tube([carina, new(spine - 32, carina.Y + 8, _zCarina - 22), new(spine - 45, carina.Y + 14, _zCarina - 40)], [7, 6, 4.5]),
            new Tube([carina, new(spine + 36, carina.Y + 10, _zCarina - 32), new(spine + 50, carina.Y + 16, _zCarina - 50)], [6.5, 5.5, 4.5]),
        };
        foreach (var airway in bronchi.Prepend(_trachea))
        {
            PaintHollowTube(airway, PhantomLabel.Airway, wallMm: 2, Hu(PhantomLabel.Esophagus), (_, _, _, _) => -1000);
        }
    }

    /// <summary>The aorta: ascending from the heart, arch, descending left of the spine, abdominal aorta anterior to the
    /// vertebral bodies, bifurcating at about L4 into the common iliac arteries.</summary>
    private Tube AortaTube(SplitMix64 rng)
    {
        var r = rng.Range(9.5, 12);
        var points = new List<Vector3D>();
        var radii = new List<double>();
        var root = _heart.Centre + new Vector3D(-8, 0, _heart.Radii.Z * 0.45);
        var archTop = _zCarina + rng.Range(20, 30);
        points.Add(root);
        radii.Add(r + 4);
        points.Add(new Vector3D(root.X - 4, root.Y - 6, archTop - 25));
        radii.Add(r + 4);
        points.Add(new Vector3D(Xs(archTop) + 2, root.Y + 5, archTop));
        radii.Add(r + 3);
        points.Add(new Vector3D(Xs(archTop) + 18, Yvb(archTop) - 30, archTop - 8));
        radii.Add(r + 2);
        for (var z = archTop - 30; z > -100; z -= 15)
        {
            var thoracic = DeterministicMath.SmoothStep(20, 90, z);
            var x = Xs(z) + 13 + 9 * thoracic;
            var y = Yvb(z) - VertebraRy(z) - (r + 3) * (1 - thoracic) + 4 * thoracic;
            points.Add(new Vector3D(x, y, z));
            radii.Add(r + 1.5 * thoracic);
        }

        var bifurcation = new Vector3D(Xs(-105) + 4, Yvb(-105) - VertebraRy(-105) - r, -105);
        points.Add(bifurcation);
        radii.Add(r - 1);
        PaintTube(new Tube([bifurcation, new(bifurcation.X - 40, bifurcation.Y + 10, -200)], 6.5), PhantomLabel.Aorta, requireCavity: false);
        PaintTube(new Tube([bifurcation, new(bifurcation.X + 40, bifurcation.Y + 10, -200)], 6.5), PhantomLabel.Aorta, requireCavity: false);
        return new Tube(points, radii);
    }
}
