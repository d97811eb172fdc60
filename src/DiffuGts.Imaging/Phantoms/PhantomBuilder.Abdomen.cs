using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>Liver, gallbladder, spleen, pancreas, kidneys, stomach and the abdominal veins.</summary>
internal sealed partial class PhantomBuilder
{
    private OrientedEllipsoid _liverRight, _liverLeft, _spleen, _stomach;
    private readonly OrientedEllipsoid[] _kidneys = new OrientedEllipsoid[2];
    private Vector3D _portaHepatis, _splenicHilum, _confluence;
    private LatticeNoise _liverNoise;

    /// <summary>Signed distance to the liver: a large right lobe and a flatter left lobe joined by a smooth union, with
    /// a 6 mm noise deformation. The diaphragm and the body wall clip it, which shapes its dome and lateral surface.</summary>
    private double LiverDistance(double x, double y, double z) =>
        DeterministicMath.SmoothMin(_liverRight.Distance(x, y, z), _liverLeft.Distance(x, y, z), 25) + 6 * _liverNoise.Fractal(x, y, z, 55);

    private void PaintLiver()
    {
        var rng = _structures.Fork();
        _liverNoise = new LatticeNoise(_seed, 10);
        var s = rng.Range(0.9, 1.1);
        _liverRight = OrientedEllipsoid.Create(
            new Vector3D(-_aIn * 0.42 + rng.Range(-8, 8), rng.Range(-14, 0), _zDomeR - 62 * s),
            new Vector3D(_aIn * 0.6 * s, _bIn * 0.85, 82 * s), yawRad: rng.Range(-0.15, 0.15));
        _liverLeft = OrientedEllipsoid.Create(
            new Vector3D(rng.Range(5, 25), -_bIn * 0.5, _zDomeR - 42 * s),
            new Vector3D(rng.Range(55, 75) * s, 30 * s, 36 * s), yawRad: rng.Range(-0.25, 0.1));
        _portaHepatis = new Vector3D(_liverRight.Centre.X + 25, Yvb(20) - VertebraRy(20) - 40, _liverRight.Centre.Z - 5);
        var liver = Hu(PhantomLabel.Liver);
        _canvas.Paint(_liverRight.Bounds(15).Union(_liverLeft.Bounds(15)), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (InAbdomen(x, y, z, index) && LiverDistance(x, y, z) < 0)
            {
                label = (byte)PhantomLabel.Liver;
                hu = (float)liver;
            }
        });

        var gallbladder = OrientedEllipsoid.Create(
            new Vector3D(-_aIn * 0.3 + rng.Range(-10, 10), -_bIn * 0.45, _liverRight.Centre.Z - 55 * s),
            new Vector3D(14, 16, 32) * rng.Range(0.8, 1.15), pitchRad: -0.5, rollRad: 0.4);
        var bile = Hu(PhantomLabel.Gallbladder);
        var wallHu = _phase == ContrastPhase.PortalVenous ? 80.0 : 40.0;
        _canvas.Paint(gallbladder.Bounds(2), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            var d = gallbladder.Distance(x, y, z);
            if (d < 0 && InAbdomen(x, y, z, index, 3))
            {
                label = (byte)PhantomLabel.Gallbladder;
                hu = (float)(d > -1.5 ? wallHu : bile);
            }
        });
    }

    /// <summary>A crescent along the left posterolateral wall: an ellipsoid with a sphere carved from its visceral surface.</summary>
    private void PaintSpleen()
    {
        var rng = _structures.Fork();
        var s = rng.Range(0.8, 1.2);
        _spleen = OrientedEllipsoid.Create(
            new Vector3D(_aIn - 40, Yvb(40) + rng.Range(-5, 15), _zDomeL - 45 + rng.Range(-10, 5)),
            new Vector3D(55 * s, 20 * s, 48 * s), yawRad: rng.Range(-1.1, -0.8), pitchRad: rng.Range(-0.2, 0.2));
        var spleen = _spleen;
        var hollow = spleen.Centre + new Vector3D(-50, -18, 0) * s;
        var hollowR = 44 * s;
        _splenicHilum = spleen.Centre + new Vector3D(-22, -10, -5) * s;
        var noise = new LatticeNoise(_seed, 11);
        var hu0 = Hu(PhantomLabel.Spleen);
        _canvas.Paint(spleen.Bounds(6), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            var d = Math.Max(spleen.Distance(x, y, z), hollowR - (new Vector3D(x, y, z) - hollow).Length) + 3 * noise.At(x, y, z, 25);
            if (d < 0 && InAbdomen(x, y, z, index))
            {
                label = (byte)PhantomLabel.Spleen;
                hu = (float)hu0;
            }
        });
    }

    /// <summary>Head in the duodenal sweep, neck in front of the portal confluence, body and tail towards the splenic hilum;
    /// a lobulated outline (noise of 2.5 mm at 6 mm scale) as in fatty-interdigitated adult pancreas.</summary>
    private void PaintPancreas()
    {
        var rng = _structures.Fork();
        var zHead = rng.Range(-35, -15);
        var front = Yvb(0) - VertebraRy(0);
        _confluence = new Vector3D(Xs(0) - 4, front - 38, zHead + 18);
        var tube = new Tube(
            [
                new(Xs(0) - 32, front - 38, zHead - 8),
                new(Xs(0) - 22, front - 44, zHead + 8),
                new(Xs(0) + 2, front - 52, zHead + 20),
                new(Xs(0) + 35, front - 44, zHead + 30),
                new(Xs(0) + 62, front - 22, zHead + 38),
                _splenicHilum + new Vector3D(-12, -4, -6),
            ],
            [14, 14, 10, 10.5, 9.5, 7.5]);
        var noise = new LatticeNoise(_seed, 12);
        var hu0 = Hu(PhantomLabel.Pancreas);
        _canvas.Paint(tube.Box, (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (tube.Distance(x, y, z) + 2.5 * noise.At(x, y, z, 6) < 0 && InAbdomen(x, y, z, index))
            {
                label = (byte)PhantomLabel.Pancreas;
                hu = (float)hu0;
            }
        });
    }

    /// <summary>
    /// Kidneys beside the spine (the right lower), long axes tilted so the upper poles are medial, hila facing
    /// anteromedially. Inside: a 6–7 mm enhancing cortex with columns reaching into the medulla, the renal sinus fat
    /// and a fluid-filled renal pelvis opening at the hilum.
    /// </summary>
    private void PaintKidneys()
    {
        var rng = _structures.Fork();
        var cortex = Hu(PhantomLabel.KidneyCortex);
        var medulla = Hu(PhantomLabel.KidneyMedulla);
        var sinusFat = Hu(PhantomLabel.VisceralFat) + 15;
        var pelvisHu = Hu(PhantomLabel.RenalPelvis);
        var columns = new LatticeNoise(_seed, 13);
        for (var side = 0; side < 2; side++)
        {
            var sign = side == 0 ? -1 : 1;
            var s = rng.Range(0.88, 1.12);
            var z = (side == 0 ? -32 : -16) + rng.Range(-10, 10);
            var kidney = OrientedEllipsoid.Create(
                new Vector3D(Xs(z) + sign * rng.Range(62, 74), Yvb(z) + rng.Range(8, 18), z),
                new Vector3D(26, 23, 54) * s,
                yawRad: side == 0 ? Math.PI - rng.Range(0.4, 0.65) : rng.Range(0.4, 0.65),
                pitchRad: -rng.Range(0.12, 0.3));
            _kidneys[side] = kidney;
            var a = kidney.Radii;
            var sinus = new OrientedEllipsoid(kidney.Centre + kidney.Axes.C0 * (-0.6 * a.X), new Vector3D(0.55 * a.X, 0.45 * a.Y, 0.58 * a.Z), kidney.Axes);
            var pelvis = new OrientedEllipsoid(kidney.Centre + kidney.Axes.C0 * (-0.78 * a.X) + kidney.Axes.C2 * (-0.05 * a.Z),
                new Vector3D(0.38 * a.X, 0.28 * a.Y, 0.26 * a.Z), kidney.Axes);
            _canvas.Paint(kidney.Bounds(3), (double x, double y, double z, int index, ref byte label, ref float hu) =>
            {
                var d = kidney.Distance(x, y, z) + 1.2 * columns.At(x, y, z, 12);
                if (d >= 0 || label == (byte)PhantomLabel.Background || label == (byte)PhantomLabel.SubcutaneousFat)
                {
                    return;
                }

                if (pelvis.Distance(x, y, z) < 0)
                {
                    (label, hu) = ((byte)PhantomLabel.RenalPelvis, (float)pelvisHu);
                }
                else if (sinus.Distance(x, y, z) < 0)
                {
                    (label, hu) = ((byte)PhantomLabel.VisceralFat, (float)sinusFat);
                }
                else if (-d < 6.5 || columns.At(x, y, z, 7) > 0.3)
                {
                    (label, hu) = ((byte)PhantomLabel.KidneyCortex, (float)cortex);
                }
                else
                {
                    (label, hu) = ((byte)PhantomLabel.KidneyMedulla, (float)medulla);
                }
            });
        }
    }

    /// <summary>Stomach in the left upper quadrant: an enhancing wall with rugal folds round fluid, and gas in front
    /// (the patient is supine, so the air–fluid level is a plane of constant y).</summary>
    private void PaintStomach()
    {
        var rng = _structures.Fork();
        var s = rng.Range(0.8, 1.15);
        _stomach = OrientedEllipsoid.Create(
            new Vector3D(_aIn * 0.35 + rng.Range(-5, 10), -_bIn * 0.25 + rng.Range(-10, 10), _zDomeL - 45),
            new Vector3D(55 * s, 36 * s, 45 * s), yawRad: rng.Range(-0.9, -0.5), pitchRad: rng.Range(0.2, 0.5));
        var stomach = _stomach;
        var level = stomach.Centre.Y - rng.Range(0, 0.6) * stomach.Radii.Y;
        var rugae = new LatticeNoise(_seed, 14);
        var wall = Hu(PhantomLabel.Stomach);
        var fluid = rng.Range(5, 25);
        _canvas.Paint(stomach.Bounds(5), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            var d = stomach.Distance(x, y, z) + 3 * rugae.At(x, y, z, 20);
            if (d >= 0 || !InAbdomen(x, y, z, index))
            {
                return;
            }

            label = (byte)PhantomLabel.Stomach;
            hu = (float)(d > -4 - 2 * rugae.At(x, y, z, 8) ? wall : y < level ? -1000 : fluid);
        });
    }

    /// <summary>IVC (from the iliac confluence, through the liver, into the right atrium), portal and splenic veins, SMV,
    /// and the renal veins (the left crossing in front of the aorta).</summary>
    private void PaintAbdominalVessels()
    {
        var front = Yvb(0) - VertebraRy(0);
        var atrium = _heart.Centre + new Vector3D(-30, 12, -_heart.Radii.Z * 0.45);
        var zHepatic = _zDomeR - 25;
        _ivc = new Tube(
            [
                new(Xs(-130) - 10, Yvb(-130) - 8, -130), new(Xs(-60) - 22, Yvb(-60) - VertebraRy(-60) - 10, -60),
                new(Xs(10) - 24, front - 12, 10), new(Xs(zHepatic) - 24, front - 24, zHepatic), atrium,
            ],
            [10, 11, 12, 13, 14]);
        PaintTube(_ivc, PhantomLabel.InferiorVenaCava, requireCavity: false);

        var smv = new Tube([new(_confluence.X + 6, _confluence.Y - 5, -110), _confluence], [6, 7]);
        var portal = new Tube([_confluence, _portaHepatis], [7.5, 7]);
        var splenic = new Tube([_confluence, new(Xs(0) + 35, _confluence.Y + 10, _confluence.Z + 8), _splenicHilum], [5, 4.5, 4]);
        foreach (var vein in new[] { smv, portal, splenic })
        {
            PaintTube(vein, PhantomLabel.PortalVein, requireCavity: true);
        }

        for (var side = 0; side < 2; side++)
        {
            var kidney = _kidneys[side];
            var hilum = kidney.Centre + kidney.Axes.C0 * (-kidney.Radii.X * 0.95);
            var ivcPoint = new Vector3D(Xs(hilum.Z) - 24, front - 12, hilum.Z + 8);
            var vein = side == 0
                ? new Tube([hilum, ivcPoint], 5)
                : new Tube([hilum, new(Xs(hilum.Z) + 14, front - 30, hilum.Z + 10), ivcPoint], [5, 4, 5]);
            PaintTube(vein, PhantomLabel.RenalVein, requireCavity: false, onlyOver: PhantomLabel.VisceralFat);
        }
    }

    /// <summary>Paints a solid tube; by default over anything inside the body except skin and subcutaneous fat.</summary>
    private void PaintTube(Tube tube, PhantomLabel target, bool requireCavity, PhantomLabel? onlyOver = null)
    {
        var value = (float)Hu(target);
        _canvas.Paint(tube.Box, (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (label is (byte)PhantomLabel.Background or (byte)PhantomLabel.Skin or (byte)PhantomLabel.SubcutaneousFat ||
                onlyOver is { } only && label != (byte)only || requireCavity && _cavityDepth[index] < 1 || tube.Distance(x, y, z) >= 0)
            {
                return;
            }

            label = (byte)target;
            hu = value;
        });
    }

    /// <summary>Paints a hollow tube: a wall of <paramref name="wallMm"/> and contents chosen per voxel (position along the tube given).</summary>
    private void PaintHollowTube(Tube tube, PhantomLabel target, double wallMm, double wallHu, Func<double, double, double, double, double> lumenHu,
        bool abdominalOnly = false)
    {
        _canvas.Paint(tube.Box, (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (label is (byte)PhantomLabel.Background or (byte)PhantomLabel.Skin or (byte)PhantomLabel.SubcutaneousFat ||
                abdominalOnly && !InAbdomen(x, y, z, index, 2))
            {
                return;
            }

            var d = tube.Distance(x, y, z, out var along);
            if (d >= 0)
            {
                return;
            }

            label = (byte)target;
            hu = (float)(d > -wallMm ? wallHu : lumenHu(x, y, z, along));
        });
    }
}
