namespace DiffuGts.Inference.Execution;

/// <summary>A dense row-major float tensor ([batch, channel, z, y, x] for volumes, docs/model-package.md §1).</summary>
internal sealed class FloatTensor
{
    public FloatTensor(int[] shape)
        : this(new float[checked((int)Count(shape))], shape)
    {
    }

    public FloatTensor(float[] data, int[] shape)
    {
        if (data.LongLength != Count(shape))
        {
            throw new ArgumentException($"{data.LongLength} values do not fill shape [{string.Join(", ", shape)}]", nameof(data));
        }

        Data = data;
        Shape = shape;
    }

    public float[] Data { get; }

    public int[] Shape { get; }

    public int Rank => Shape.Length;

    public long[] LongShape => [.. Shape.Select(d => (long)d)];

    public static long Count(IEnumerable<int> shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Spatial size (z, y, x) of a rank-5 tensor.</summary>
    public (int Z, int Y, int X) Spatial => (Shape[^3], Shape[^2], Shape[^1]);

    public int Channels => Shape[1];

    public override string ToString() => $"[{string.Join(", ", Shape)}]";
}
