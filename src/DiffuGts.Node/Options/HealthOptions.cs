namespace DiffuGts.Node.Options;

/// <summary>The optional local health endpoint (section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Port of http://127.0.0.1:{port}/health (and /health/live, /health/ready); 0 turns the endpoint off.</summary>
    public int HttpPort { get; set; }
}
