using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>
/// Builds one phantom from one seed. Anatomy is a single model in patient mm (LPS: +x left, +y posterior, +z superior;
/// the body axis is x = y = 0 and z = 0 is about the L1 vertebral body); the region only chooses which z window the grid
/// covers. Every structure is an implicit shape (ellipsoids, tubes, layered shells) deformed by smooth lattice noise and
/// sized, placed and rotated from its own forked random stream. Partial files hold the body wall, skeleton, thorax,
/// abdomen, bowel, vessel trees, lesions and the image-formation steps.
/// </summary>
internal sealed partial class PhantomBuilder
{
    private const double SkinMm = 2.5;

    private readonly PhantomOptions _options;
    private readonly ContrastPhase _phase;
    private readonly ulong _seed;
    private readonly PhantomCanvas _canvas;

    /// <summary>Depth inside the body cavity (mm inward from the inner surface of the muscle wall), per voxel, from the body pass.</summary>
    private readonly float[] _cavityDepth;

    // Body outline: lateral and AP semi-axes (mm), shape harmonics, belly, subcutaneous fat and posterior flattening.
    private readonly double _a, _b, _h2, _h3c, _h3s, _belly, _fat0, _yBack;

    // Approximate inner (cavity) semi-axes used to place organs.
    private readonly double _aIn, _bIn;

    // Spine: vertebral body centre y at z = 0, and the diaphragm dome heights.
    private readonly double _yVb0, _zDomeR, _zDomeL;

    private readonly LatticeNoise _bodyNoise, _fatNoise, _spineNoise;

    public PhantomBuilder(PhantomOptions options)
    {
        _options = options;
        _phase = options.Phase;
        _seed = options.Seed;
        var s = options.EffectiveSpacing;
        double zTop = options.Region == PhantomRegion.Abdomen ? 115 : 170 + (options.SizeZ - 1) * s.Z / 2;
        var origin = new Vector3D(-(options.SizeX - 1) * s.X / 2, -(options.SizeY - 1) * s.Y / 2, zTop - (options.SizeZ - 1) * s.Z);
        _canvas = new PhantomCanvas(VolumeGeometry.Axial(options.SizeX, options.SizeY, options.SizeZ, s, origin));
        _cavityDepth = new float[_canvas.Geometry.VoxelCount];

        var rng = new SplitMix64(_seed).Fork();
        _a = rng.Range(148, 176);
        _b = rng.Range(98, 120);
        _h2 = rng.Range(-0.03, 0.03);
        _h3c = rng.Range(-0.025, 0.025);
        _h3s = rng.Range(-0.02, 0.02);
        _belly = rng.Range(0, 0.12);
        _fat0 = rng.Range(8, 30);
        _yBack = _b * rng.Range(0.84, 0.9);
        _aIn = _a - SkinMm - _fat0 * 1.05 - 12;
        _bIn = _b - SkinMm - _fat0 * 1.3 - 10;
        _yVb0 = _yBack - SkinMm - _fat0 * 0.6 - rng.Range(58, 66);
        _zDomeR = rng.Range(82, 105);
        _zDomeL = _zDomeR - rng.Range(6, 18);
        _bodyNoise = new LatticeNoise(_seed, 1);
        _fatNoise = new LatticeNoise(_seed, 2);
        _spineNoise = new LatticeNoise(_seed, 3);
        _texture = new LatticeNoise(_seed, 4);
        _structures = new SplitMix64(SplitMix64.Mix(_seed ^ 0x5DEECE66DUL));
    }

    /// <summary>Random streams for structures, forked in a fixed order.</summary>
    private readonly SplitMix64 _structures;

    private readonly LatticeNoise _texture;

    private double Hu(PhantomLabel label) => TissueTable.Hu(label, _phase);

    public Phantom Build()
    {
        PlanThorax();
        PaintBody();
        PaintThoracicCavity();
        PaintBowel();
        PaintStomach();
        PaintLiver();
        PaintSpleen();
        PaintPancreas();
        PaintKidneys();
        PaintAbdominalVessels();
        PaintLiverVessels();
        PaintMediastinum();
        PaintLungVessels();
        PaintSpine();
        PaintRibs();
        PaintTable();
        AddTexture();
        var lesions = PaintLesions();
        FormImage();
        var g = _canvas.Geometry;
        var hu = new Volume<float>(g, _canvas.Hu);
        var labels = new Volume<byte>(g, _canvas.Labels);
        return new Phantom(_options, hu, labels, _lesionMask, DescribeLesions(lesions, hu));
    }

    /// <summary>
    /// The body outline at height z in direction (c, s) = (cos θ, sin θ) from the body axis: an ellipse with third-order
    /// harmonics, a rounder belly, and a back flattened against the table by a smooth minimum with the plane y = yBack.
    /// </summary>
    private double OuterRadius(double c, double s, double z)
    {
        var a = _a * (1 + 0.035 * _bodyNoise.At1D(z / 90));
        var b = _b * (1 + 0.035 * _bodyNoise.At1D(z / 90 + 1000.5));
        var r = a * b / Math.Sqrt(b * c * b * c + a * s * a * s);
        r *= 1 + _h2 * 2 * c * s + _h3c * c * (4 * c * c - 3) + _h3s * s * (3 - 4 * s * s);
        if (s < 0)
        {
            r *= 1 + _belly * s * s;
        }
        else if (s > 0.05)
        {
            r = DeterministicMath.SmoothMin(r, _yBack / s, 25);
        }

        return r;
    }

    /// <summary>Body wall layers at a point: distance from the skin surface inward, subcutaneous fat and muscle thickness.</summary>
    private (double Depth, double Fat, double Muscle, double Radius) Profile(double x, double y, double z)
    {
        var r = Math.Sqrt(x * x + y * y);
        double c = r > 1e-6 ? x / r : 1, s = r > 1e-6 ? y / r : 0;
        var outer = OuterRadius(c, s, z);
        var fat = _fat0 * (0.75 + 0.6 * Math.Max(0, -s) + 0.3 * c * c - 0.3 * Math.Max(0, s)) * (1 + 0.18 * _fatNoise.At(x, y, z, 45));
        var anterior = 2 + 9 * DeterministicMath.SmoothStep(4, 16, Math.Abs(x));
        var posterior = 46 - 14 * DeterministicMath.SmoothStep(40, 130, z);
        var ant = Math.Max(0, -s);
        var post = Math.Max(0, s);
        // Chest wall: pectoral muscles in front and the scapular muscles behind thicken the wall above the diaphragm.
        var chest = DeterministicMath.SmoothStep(110, 180, z);
        anterior += chest * 14 * DeterministicMath.SmoothStep(20, 60, Math.Abs(x));
        var lateral = 12 + chest * 8 * post;
        var muscle = lateral + (anterior - lateral) * ant * ant + (posterior - lateral) * post * post;
        return (outer - r, fat, muscle, r);
    }

    /// <summary>Depth (mm) inside the muscle wall's inner surface; positive in the body cavity.</summary>
    private double CavityDepth(double x, double y, double z)
    {
        var (depth, fat, muscle, _) = Profile(x, y, z);
        return depth - SkinMm - fat - muscle;
    }

    /// <summary>Skin, subcutaneous fat, muscle wall; everything inside starts as visceral fat. Air and the CT table outside.</summary>
    private void PaintBody()
    {
        var fat = Hu(PhantomLabel.SubcutaneousFat);
        var muscle = Hu(PhantomLabel.Muscle);
        var visceral = Hu(PhantomLabel.VisceralFat);
        var skin = Hu(PhantomLabel.Skin);
        _canvas.Paint(Bounds.Everywhere, (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            var (depth, f, m, _) = Profile(x, y, z);
            var cavity = depth - SkinMm - f - m;
            _cavityDepth[index] = (float)cavity;
            (label, hu) = depth switch
            {
                < 0 => ((byte)PhantomLabel.Background, -1000f),
                < SkinMm => ((byte)PhantomLabel.Skin, (float)skin),
                _ when depth < SkinMm + f => ((byte)PhantomLabel.SubcutaneousFat, (float)fat),
                _ when cavity < 0 => ((byte)PhantomLabel.Muscle, (float)muscle),
                _ => ((byte)PhantomLabel.VisceralFat, (float)visceral),
            };
        });
    }

    /// <summary>A carbon-fibre couch under the back: a thin dense skin over a foam core, curved up at the sides.</summary>
    private void PaintTable()
    {
        var top = _yBack + 4;
        _canvas.Paint(new Bounds(new(-260, top - 40, -1e6), new(260, top + 40, 1e6)), (double x, double y, double z, int index, ref byte label, ref float hu) =>
        {
            if (label != (byte)PhantomLabel.Background)
            {
                return;
            }

            var surface = top - 0.0012 * x * x;
            var d = y - surface;
            if (d is >= 0 and < 2.5 || d is >= 28 and < 30)
            {
                hu = 180;
            }
            else if (d is >= 2.5 and < 28 && Math.Abs(x) < 230)
            {
                hu = -930;
            }
        });
    }

    /// <summary>True in the abdominal cavity: inside the muscle wall by <paramref name="margin"/> and below the diaphragm.</summary>
    private bool InAbdomen(double x, double y, double z, int index, double margin = 1) =>
        _cavityDepth[index] > margin && z < Diaphragm(x, y) - 5;

    /// <summary>
    /// The diaphragm surface z(x, y): two spherical domes (right higher) under the lungs. Far from a dome centre the
    /// surface falls, which makes the deep posterior costophrenic recesses where lung bases wrap the liver and spleen.
    /// </summary>
    private double Diaphragm(double x, double y)
    {
        double rx = x + _aIn * 0.45, lx = x - _aIn * 0.45, dy = y + 10;
        var right = _zDomeR - (rx * rx + dy * dy) / 230;
        var left = _zDomeL - (lx * lx + dy * dy) / 230;
        return Math.Max(Math.Max(right, left), _zDomeL - 95);
    }
}
