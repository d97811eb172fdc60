namespace DiffuGts.Inference.Execution;

/// <summary>A dense row-major int64 tensor (token ids, class labels).</summary>
internal sealed record LongTensor(long[] Data, int[] Shape)
{
    public long[] LongShape => [.. Shape.Select(d => (long)d)];
}
