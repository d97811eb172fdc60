namespace DiffuGts.Imaging.Phantoms;

/// <summary>Spine (vertebral bodies, discs, canal, posterior elements), psoas, ribs, costal cartilage and sternum.</summary>
internal sealed partial class PhantomBuilder
{
    /// <summary>Vertebral levels from L5 up to T1: centre z, half-height of the body, and whether thoracic (rib-bearing).</summary>
    private (double Z, double HalfHeight, double Pitch, bool Thoracic)[]? _vertebrae;

    /// <summary>Centre line of the spine: a slight seeded scoliosis.</summary>
    private double Xs(double z) => 4 * _spineNoise.At1D(z / 160);

    /// <summary>Lordosis below L1 (lower lumbar bodies sit more anterior) and kyphosis above (thoracic bodies more posterior).</summary>
    private double Yvb(double z) => _yVb0 - 0.08 * Math.Max(0, -z - 20) + 0.06 * Math.Max(0, z - 40);

    /// <summary>Vertebral body semi-axes: lumbar bodies are wider than thoracic ones.</summary>
    private static double VertebraRx(double z) => 16.5 + 7.5 * (1 - DeterministicMath.SmoothStep(-20, 60, z));

    private static double VertebraRy(double z) => 13 + 4 * (1 - DeterministicMath.SmoothStep(-20, 60, z));

    private (double Z, double HalfHeight, double Pitch, bool Thoracic)[] Vertebrae()
    {
        if (_vertebrae is not null)
        {
            return _vertebrae;
        }

        var rng = _structures.Fork();
        var scale = rng.Range(0.92, 1.08);
        var l1 = rng.Range(-8, 8);
        var list = new List<(double, double, double, bool)>();
        for (var n = 4; n >= 0; n--)
        {
            var pitch = 33 * scale;
            list.Add((l1 - n * pitch, 0.38 * pitch, pitch, false));
        }

        var z = l1;
        for (var t = 12; t >= 1; t--)
        {
            var pitch = (21 + 6 * (t - 1) / 11.0) * scale;
            z += t == 12 ? (33 * scale + pitch) / 2 : pitch;
            list.Add((z, 0.4 * pitch, pitch, true));
        }

        _vertebrae = [.. list];
        return _vertebrae;
    }

    /// <summary>Centre z of thoracic vertebra T<paramref name="n"/> (1–12).</summary>
    private double ThoracicZ(int n) => Vertebrae()[5 + 12 - n].Z;

    private void PaintSpine()
    {
        var levels = Vertebrae();
        var disc = Hu(PhantomLabel.IntervertebralDisc);
        var canal = Hu(PhantomLabel.SpinalCanal);
        var muscle = Hu(PhantomLabel.Muscle);

        // Psoas muscles lateral to the lumbar bodies, growing towards the pelvis.
        _canvas.Paint(new Bounds(new(-90, -100, -1e6), new(90, 150, 5)), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            var r = 4 + 20 * DeterministicMath.SmoothStep(-5, -130, z);
            var cx = VertebraRx(z) + 0.85 * r;
            var dx = Math.Abs(x - Xs(z)) - cx;
            var dy = y - Yvb(z) + 2;
            if (dx * dx / (r * r) + dy * dy / (0.8 * r * 0.8 * r) < 1 && label != (byte)PhantomLabel.Background)
            {
                label = (byte)PhantomLabel.Muscle;
                hu = (float)muscle;
            }
        });

        _canvas.Paint(new Bounds(new(-80, -200, -1e6), new(80, 200, 1e6)), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            var dx = x - Xs(z);
            var dy = y - Yvb(z);
            double rx = VertebraRx(z), ry = VertebraRy(z);
            var rc = 9.5 - 1.5 * DeterministicMath.SmoothStep(-20, 60, z);
            var yc = ry + rc + 2;
            var canalR = Math.Sqrt(dx * dx + (dy - yc) * (dy - yc));
            if (canalR < rc)
            {
                label = (byte)PhantomLabel.SpinalCanal;
                hu = (float)canal;
                return;
            }

            var (zc, h, pitch, thoracic) = Nearest(levels, z);
            var dz = z - zc;
            var q = Math.Sqrt(dx * dx / (rx * rx) + dy * dy / (ry * ry));
            if (q < 1)
            {
                if (Math.Abs(dz) < h)
                {
                    var depth = Math.Min((1 - q) * Math.Min(rx, ry), h - Math.Abs(dz));
                    label = (byte)PhantomLabel.Vertebra;
                    hu = (float)(230 + 620 * (1 - DeterministicMath.SmoothStep(0.6, 2.2, depth)));
                }
                else if (Math.Abs(dz) < pitch / 2 + 1)
                {
                    label = (byte)PhantomLabel.IntervertebralDisc;
                    hu = (float)disc;
                }

                return;
            }

            // Posterior elements exist over most of the body height; the gaps between them are the neural foramina.
            var ring = canalR < rc + 5.5 && dy > ry * 0.5 && Math.Abs(dz) < h * 0.95;
            var t = dy - (yc + rc);
            var spinous = t >= 0 && t < (thoracic ? 30 : 36) && Math.Abs(dx) < (thoracic ? 3.5 : 4.5) && Math.Abs(dz + 0.35 * t) < 0.3 * pitch;
            var transverse = Math.Abs(dy - yc + 2) < 3.5 && Math.Abs(dx) > rc && Math.Abs(dx) < rc + (thoracic ? 16 : 24) &&
                Math.Abs(dz) < 0.22 * pitch;
            if (ring || spinous || transverse)
            {
                label = (byte)PhantomLabel.Vertebra;
                hu = 480;
            }
        });
    }

    private static (double Z, double HalfHeight, double Pitch, bool Thoracic) Nearest((double Z, double HalfHeight, double Pitch, bool Thoracic)[] levels, double z)
    {
        var best = levels[0];
        foreach (var level in levels)
        {
            if (Math.Abs(level.Z - z) < Math.Abs(best.Z - z))
            {
                best = level;
            }
        }

        return best;
    }

    /// <summary>
    /// Twelve ribs a side leave the transverse processes of T1–T12 and follow the inner chest wall round to the front,
    /// descending as they go; ribs 1–10 end in costal cartilage (1–7 reach the sternum), 11 and 12 float. A rib's section
    /// is a flat band (about 6 × 11 mm) with a cortical rim over marrow.
    /// </summary>
    private void PaintRibs()
    {
        var rng = _structures.Fork();
        var dropScale = rng.Range(0.85, 1.15);
        var ribs = new (double ZAttach, double Drop, double BoneEnd, double CartilageEnd)[12];
        for (var n = 1; n <= 12; n++)
        {
            var boneEnd = n <= 7 ? 0.8 : n <= 10 ? 0.74 : n == 11 ? 0.55 : 0.42;
            var cartilageEnd = n <= 7 ? 0.985 : n <= 10 ? 0.9 - 0.02 * (n - 8) : boneEnd;
            ribs[n - 1] = (ThoracicZ(n) + 4, (40 + 6 * n) * dropScale, boneEnd, cartilageEnd);
        }

        var zMin = ribs[11].ZAttach - ribs[11].Drop - 20;
        var cartilageHu = 120.0;
        var sternumTop = ThoracicZ(2) - 35;
        var sternumBottom = ThoracicZ(9) - 70;
        _canvas.Paint(new Bounds(new(-1e6, -1e6, zMin), new(1e6, 1e6, 1e6)), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            // Ribs and sternum lie in the body wall: skip air, skin and the cavity beyond the ribs' reach.
            if (label == (byte)PhantomLabel.Background || label == (byte)PhantomLabel.Skin || _cavityDepth[index] > 10)
            {
                return;
            }

            var (depth, fat, muscle, r) = Profile(x, y, z);
            var wallDepth = depth - SkinMm - fat;
            if (wallDepth < 0)
            {
                return;
            }

            // Sternum: in the anterior wall on the midline, widening into the manubrium at the top.
            if (z > sternumBottom && z < sternumTop && y < 0)
            {
                var halfWidth = 12 + 12 * DeterministicMath.SmoothStep(sternumTop - 50, sternumTop, z);
                if (Math.Abs(x) < halfWidth && wallDepth < 11 && r > 30)
                {
                    var edge = Math.Min(Math.Min(wallDepth, 11 - wallDepth), halfWidth - Math.Abs(x));
                    label = (byte)PhantomLabel.Rib;
                    hu = (float)(270 + 450 * (1 - DeterministicMath.SmoothStep(0.5, 2, edge)));
                    return;
                }
            }

            var dr = depth - SkinMm - fat - muscle + 4.5;
            if (Math.Abs(dr) > 3.5 || r < 1)
            {
                return;
            }

            var t = (1 - y / r) / 2;
            if (t < 0.06)
            {
                return;
            }

            foreach (var (zAttach, drop, boneEnd, cartilageEnd) in ribs)
            {
                if (t > cartilageEnd)
                {
                    continue;
                }

                var dz = z - (zAttach - drop * (0.55 * t + 0.45 * t * t));
                var e = dr * dr / (3.2 * 3.2) + dz * dz / (4.5 * 4.5);
                if (e >= 1)
                {
                    continue;
                }

                label = (byte)PhantomLabel.Rib;
                hu = t <= boneEnd ? (float)(260 + 480 * (1 - DeterministicMath.SmoothStep(0.15, 0.5, 1 - Math.Sqrt(e)))) : (float)cartilageHu;
                return;
            }
        });
    }
}
