namespace DiffuGts.Inference.Execution;

/// <summary>A named execution provider: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
public sealed record ExecutionDevice(string Provider, int DeviceId)
{
    public static readonly ExecutionDevice Cpu = new("cpu", 0);

    public bool IsCuda => Provider == "cuda";

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> (device 0) or <c>cuda:N</c>; anything else is refused.</summary>
    public static ExecutionDevice Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu")
        {
            return Cpu;
        }

        if (text == "cuda")
        {
            return new("cuda", 0);
        }

        if (text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(5), out var id) && id >= 0)
        {
            return new("cuda", id);
        }

        throw new ArgumentException($"unknown execution provider '{name}' (expected cpu, cuda or cuda:N)", nameof(name));
    }

    public override string ToString() => IsCuda ? $"cuda:{DeviceId}" : "cpu";
}
