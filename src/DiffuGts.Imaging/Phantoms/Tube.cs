using DiffuGts.Imaging.Volumes;

namespace DiffuGts.Imaging.Phantoms;

/// <summary>A tube along a polyline with a radius at each vertex, linearly interpolated: vessels, bowel, airway, pancreas.</summary>
internal sealed class Tube
{
    private readonly Vector3D[] _points;
    private readonly double[] _radii;

    public Tube(IReadOnlyList<Vector3D> points, IReadOnlyList<double> radii)
    {
        if (points.Count < 2 || points.Count != radii.Count)
        {
            throw new ArgumentException("a tube needs at least two points and one radius per point");
        }

        _points = [.. points];
        _radii = [.. radii];
        var box = Bounds.Around(_points[0], _radii[0]);
        for (var n = 1; n < _points.Length; n++)
        {
            box = box.Union(Bounds.Around(_points[n], _radii[n]));
        }

        Box = box;
    }

    public Tube(IReadOnlyList<Vector3D> points, double radius)
        : this(points, Enumerable.Repeat(radius, points.Count).ToArray())
    {
    }

    public Bounds Box { get; }

    public IReadOnlyList<Vector3D> Points => _points;

    /// <summary>Signed distance to the tube surface (negative inside) and the parameter of the nearest segment
    /// (segment index + fraction), which callers use to vary contents along the tube.</summary>
    public double Distance(double x, double y, double z, out double along)
    {
        var best = double.MaxValue;
        along = 0;
        var p = new Vector3D(x, y, z);
        for (var n = 0; n + 1 < _points.Length; n++)
        {
            var a = _points[n];
            var ab = _points[n + 1] - a;
            var len2 = Vector3D.Dot(ab, ab);
            var t = len2 > 0 ? Math.Clamp(Vector3D.Dot(p - a, ab) / len2, 0, 1) : 0;
            var d = (p - (a + ab * t)).Length - (_radii[n] + (_radii[n + 1] - _radii[n]) * t);
            if (d < best)
            {
                best = d;
                along = n + t;
            }
        }

        return best;
    }

    public double Distance(double x, double y, double z) => Distance(x, y, z, out _);
}
