using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>Lesion placement, appearance and ground truth.</summary>
internal sealed partial class PhantomBuilder
{
    private Volume<byte> _lesionMask = null!;

    private sealed record PlacedLesion(LesionRequest Request, byte MaskValue, double Radius);

    /// <summary>The labels that count as "inside" an organ for lesion placement.</summary>
    internal static PhantomLabel[] OrganLabels(PhantomLabel organ) => organ == PhantomLabel.KidneyCortex
        ? [PhantomLabel.KidneyCortex, PhantomLabel.KidneyMedulla]
        : [organ];

    private static (double Min, double Max) RadiusRange(PhantomLabel organ) => organ switch
    {
        PhantomLabel.Liver => (8, 28),
        PhantomLabel.KidneyCortex => (6, 15),
        PhantomLabel.Spleen => (7, 20),
        PhantomLabel.Pancreas => (6, 11),
        _ => (4, 14),
    };

    /// <summary>
    /// Each lesion: a random voxel of the organ is a candidate centre; a rotated ellipsoid (axes 0.75–1.25 × the radius)
    /// must fit in the organ at 26 probe points, else another candidate is drawn (the radius shrinks by 20 % every 100
    /// failures). The shape is deformed by noise (little for cysts, much for infiltrative lesions); the HU blends into the
    /// organ over a margin that is sharp for cysts and wide for infiltrative lesions, and never leaves the organ.
    /// </summary>
    private List<PlacedLesion> PaintLesions()
    {
        _lesionMask = new Volume<byte>(_canvas.Geometry);
        var placed = new List<PlacedLesion>();
        var minRadius = 1.5 * Math.Max(_canvas.Geometry.Spacing.X, _canvas.Geometry.Spacing.Z);
        for (var n = 0; n < _options.Lesions.Count; n++)
        {
            var request = _options.Lesions[n];
            var rng = _structures.Fork();
            var organ = OrganLabels(request.Organ);
            var candidates = new List<int>();
            for (var v = 0; v < _canvas.Labels.Length; v++)
            {
                if (Array.IndexOf(organ, (PhantomLabel)_canvas.Labels[v]) >= 0 && _lesionMask.Data[v] == 0)
                {
                    candidates.Add(v);
                }
            }

            var (min, max) = RadiusRange(request.Organ);
            if (request.Kind == LesionKind.Cystic)
            {
                max = (min + max) / 2;
            }

            var radius = Math.Max(minRadius, rng.Range(min, max));
            var shape = default(OrientedEllipsoid);
            var found = false;
            for (var attempt = 0; attempt < 400 && candidates.Count > 0 && !found; attempt++)
            {
                if (attempt > 0 && attempt % 100 == 0)
                {
                    radius = Math.Max(minRadius, radius * 0.8);
                }

                var v = candidates[rng.Next(0, candidates.Count)];
                var centre = VoxelCentre(v);
                var elongation = new Vector3D(rng.Range(0.75, 1.25), rng.Range(0.75, 1.25), rng.Range(0.75, 1.25));
                shape = OrientedEllipsoid.Create(centre, elongation * radius, rng.Range(0, 2 * Math.PI), rng.Range(-1, 1), rng.Range(-1, 1));
                found = Fits(shape, organ);
            }

            if (!found)
            {
                throw new InvalidOperationException(
                    $"no room for a {LesionRequest.KindName(request.Kind)} lesion in the {LesionRequest.OrganName(request.Organ)} " +
                    "within this field of view (is the organ in the volume?); try another seed, region or size");
            }

            var value = (byte)(n + 1);
            PaintLesion(shape, request, organ, value, rng);
            placed.Add(new PlacedLesion(request, value, (shape.Radii.X + shape.Radii.Y + shape.Radii.Z) / 3));
        }

        return placed;
    }

    private Vector3D VoxelCentre(int v)
    {
        var g = _canvas.Geometry;
        var i = v % g.SizeX;
        var j = v / g.SizeX % g.SizeY;
        var k = v / (g.SizeX * g.SizeY);
        return new Vector3D(_canvas.X(i), _canvas.Y(j), _canvas.Z(k));
    }

    private bool Fits(OrientedEllipsoid shape, PhantomLabel[] organ)
    {
        for (var dx = -1; dx <= 1; dx++)
        {
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dz = -1; dz <= 1; dz++)
                {
                    var u = new Vector3D(dx, dy, dz).Normalized();
                    var local = new Vector3D(u.X * shape.Radii.X, u.Y * shape.Radii.Y, u.Z * shape.Radii.Z) * 1.1;
                    var p = shape.Centre + shape.Axes.C0 * local.X + shape.Axes.C1 * local.Y + shape.Axes.C2 * local.Z;
                    if (Array.IndexOf(organ, _canvas.LabelAt(p)) < 0 || MaskAt(p) != 0)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private byte MaskAt(Vector3D p)
    {
        var g = _canvas.Geometry;
        var i = (int)Math.Round((p.X - g.Origin.X) / g.Spacing.X);
        var j = (int)Math.Round((p.Y - g.Origin.Y) / g.Spacing.Y);
        var k = (int)Math.Round((p.Z - g.Origin.Z) / g.Spacing.Z);
        return i < 0 || j < 0 || k < 0 || i >= g.SizeX || j >= g.SizeY || k >= g.SizeZ ? (byte)0 : _lesionMask[i, j, k];
    }

    private void PaintLesion(OrientedEllipsoid shape, LesionRequest request, PhantomLabel[] organ, byte value, SplitMix64 rng)
    {
        var r = (shape.Radii.X + shape.Radii.Y + shape.Radii.Z) / 3;
        var lung = request.Organ == PhantomLabel.Lung;
        var pv = _phase == ContrastPhase.PortalVenous;
        var organHu = request.Organ == PhantomLabel.KidneyCortex
            ? (Hu(PhantomLabel.KidneyCortex) + Hu(PhantomLabel.KidneyMedulla)) / 2
            : Hu(request.Organ);
        var shapeNoise = new LatticeNoise(_seed, 100 + (ulong)value);
        var innerNoise = new LatticeNoise(_seed, 200 + (ulong)value);

        // (deformation amplitude, deformation scale, margin half-width, texture amplitude) and the HU inside / in the rim.
        double amplitude = 0.12 * r, scale = 0.8 * r, margin = 1.2, texture = 6, rimMm = 0;
        double core, rim = 0;
        switch (request.Kind)
        {
            case LesionKind.Hypodense:
                core = lung ? rng.Range(-620, -450) : organHu - (pv ? rng.Range(35, 60) : rng.Range(20, 35));
                break;
            case LesionKind.Hyperdense:
                core = lung ? rng.Range(20, 45) : organHu + (pv ? rng.Range(30, 55) : rng.Range(20, 35));
                texture = 8;
                break;
            case LesionKind.RimEnhancing:
                rimMm = Math.Max(3, 0.22 * r);
                core = lung ? -950 : rng.Range(12, 25);
                rim = lung ? 30 : organHu + (pv ? rng.Range(30, 50) : 10);
                amplitude = 0.1 * r;
                break;
            case LesionKind.Cystic:
                core = lung ? -980 : rng.Range(3, 12);
                rimMm = lung ? 1.2 : 0;
                rim = 5;
                amplitude = 0.03 * r;
                scale = 1.5 * r;
                margin = 0.3;
                texture = 1.5;
                break;
            default:
                core = lung ? 25 : organHu - (pv ? rng.Range(40, 50) : rng.Range(25, 32));
                amplitude = lung ? 0.3 * r : 0.35 * r;
                scale = lung ? 0.3 * r : 0.5 * r;
                margin = lung ? 1.5 : Math.Max(4, 0.6 * r);
                texture = 12;
                break;
        }

        var grid = _lesionMask.Data;
        _canvas.Paint(shape.Bounds(amplitude + margin + 2), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (Array.IndexOf(organ, (PhantomLabel)label) < 0 || grid[index] != 0 && grid[index] != value)
            {
                return;
            }

            var d = shape.Distance(x, y, z) + amplitude * shapeNoise.Fractal(x, y, z, scale);
            var w = DeterministicMath.SmoothStep(margin, -margin, d);
            if (w <= 0)
            {
                return;
            }

            var inside = core;
            if (rimMm > 0)
            {
                var rimWeight = DeterministicMath.SmoothStep(-rimMm - 1, -rimMm + 1, d);
                inside = core + (rim - core) * rimWeight;
            }

            inside += texture * innerNoise.Fractal(x, y, z, 4);
            hu = (float)(hu + (inside - hu) * w);
            if (w >= 0.5)
            {
                grid[index] = value;
            }
        });
    }

    private List<PhantomLesion> DescribeLesions(List<PlacedLesion> placed, Volume<float> hu)
    {
        var g = _canvas.Geometry;
        var voxelMl = g.Spacing.X * g.Spacing.Y * g.Spacing.Z / 1000;
        var result = new List<PhantomLesion>();
        foreach (var lesion in placed)
        {
            long count = 0;
            double sx = 0, sy = 0, sz = 0, sum = 0;
            for (var v = 0; v < _lesionMask.Data.Length; v++)
            {
                if (_lesionMask.Data[v] != lesion.MaskValue)
                {
                    continue;
                }

                var p = VoxelCentre(v);
                (sx, sy, sz, sum) = (sx + p.X, sy + p.Y, sz + p.Z, sum + hu.Data[v]);
                count++;
            }

            var n = Math.Max(1, count);
            result.Add(new PhantomLesion(lesion.MaskValue, lesion.Request.Organ, lesion.Request.Kind, new Vector3D(sx / n, sy / n, sz / n),
                count * voxelMl, sum / n, lesion.Radius, (int)count));
        }

        return result;
    }
}
