using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>Branching vessel trees inside the lungs and the liver.</summary>
internal sealed partial class PhantomBuilder
{
    /// <summary>
    /// Pulmonary vessels: from each hilum, lobar roots branch dichotomously (radius × 0.76 per generation, Murray-like)
    /// until 1 mm; a branch that would leave the lung turns back or stops. Painted with partial-volume coverage so
    /// vessels below the voxel size appear as faint dots, as on real CT.
    /// </summary>
    private void PaintLungVessels()
    {
        var rng = _structures.Fork();
        var hu = _phase == ContrastPhase.PortalVenous ? 150.0 : 40.0;
        var carinaY = Yvb(_zCarina) - VertebraRy(_zCarina) - 24;
        foreach (var side in new[] { -1, 1 })
        {
            var hilum = new Vector3D(Xs(_zCarina) + side * 48, carinaY + 10, _zCarina - 38);
            var roots = new[]
            {
                new Vector3D(side * 0.35, -0.1, 0.95), new Vector3D(side * 0.8, -0.5, -0.2),
                new Vector3D(side * 0.45, 0.45, -0.8), new Vector3D(side * 0.3, 0.1, -0.95),
                new Vector3D(side * 0.6, 0.6, 0.5), new Vector3D(side * 0.5, -0.7, 0.5), new Vector3D(side * 0.7, 0.1, -0.7),
            };
            foreach (var dir in roots)
            {
                GrowTree(rng, hilum, dir.Normalized(), 6.5, InLungModel, PhantomLabel.Lung, hu, 0);
            }
        }
    }

    /// <summary>Hepatic veins converging on the IVC under the dome and portal branches from the porta hepatis.</summary>
    private void PaintLiverVessels()
    {
        var rng = _structures.Fork();
        var pv = _phase == ContrastPhase.PortalVenous;
        var top = new Vector3D(_ivc!.Points[3].X, _ivc.Points[3].Y, _zDomeR - 28);
        foreach (var dir in new[] { new Vector3D(-0.7, -0.3, -0.4), new Vector3D(0.1, -0.9, -0.3), new Vector3D(0.7, -0.6, -0.2) })
        {
            GrowTree(rng, top, dir.Normalized(), 6, InLiverModel, PhantomLabel.Liver, pv ? 150 : 45, 0);
        }

        foreach (var dir in new[] { new Vector3D(-0.8, 0.1, 0.3), new Vector3D(-0.5, -0.3, -0.6), new Vector3D(0.7, -0.7, 0.2) })
        {
            GrowTree(rng, _portaHepatis, dir.Normalized(), 6.5, InLiverModel, PhantomLabel.Liver, pv ? 170 : 45, 0);
        }
    }

    private bool InLungModel(Vector3D p) =>
        CavityDepth(p.X, p.Y, p.Z) > 4 && p.Z > Diaphragm(p.X, p.Y) + 4 && Math.Abs(p.X - Xs(p.Z)) > 24 && _heart.Distance(p.X, p.Y, p.Z) > 6;

    private bool InLiverModel(Vector3D p) =>
        LiverDistance(p.X, p.Y, p.Z) < -4 && CavityDepth(p.X, p.Y, p.Z) > 4 && p.Z < Diaphragm(p.X, p.Y) - 9;

    private void GrowTree(SplitMix64 rng, Vector3D start, Vector3D dir, double radius, Func<Vector3D, bool> inside, PhantomLabel organ,
        double hu, int depth)
    {
        if (radius < 1.0 || depth > 12)
        {
            return;
        }

        var length = (5 + 4.5 * radius) * rng.Range(0.75, 1.25);
        var end = start + dir * length;
        for (var attempt = 0; attempt < 3 && !inside(end); attempt++)
        {
            dir = (dir + new Vector3D(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()) * 0.8).Normalized();
            end = start + dir * length;
        }

        if (!inside(end))
        {
            return;
        }

        var child = radius * 0.76;
        PaintSoftTube(new Tube([start, end], [radius, child]), organ, hu);
        for (var n = 0; n < 2; n++)
        {
            var spread = new Vector3D(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()) * 0.45;
            GrowTree(rng, end, (dir + spread).Normalized(), child, inside, organ, hu, depth + 1);
        }
    }

    /// <summary>Blends a tube into voxels of one organ by the fraction of the voxel it covers (a linear ramp over one voxel).</summary>
    private void PaintSoftTube(Tube tube, PhantomLabel organ, double value)
    {
        var half = 0.5 * Math.Min(_canvas.Geometry.Spacing.X, _canvas.Geometry.Spacing.Z);
        var box = new Bounds(tube.Box.Min - new Vector3D(half, half, half), tube.Box.Max + new Vector3D(half, half, half));
        _canvas.Paint(box, (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (label != (byte)organ)
            {
                return;
            }

            var d = tube.Distance(x, y, z);
            var w = Math.Clamp(0.5 - d / (2 * half), 0, 1);
            if (w > 0)
            {
                hu = (float)(hu + (value - hu) * w);
            }
        });
    }
}
