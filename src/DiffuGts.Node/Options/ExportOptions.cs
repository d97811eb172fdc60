namespace DiffuGts.Node.Options;

/// <summary>Result delivery with retries (section <c>Export</c>).</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Export";

    /// <summary>Delivery attempts before a result is parked as failed (together with <see cref="MaxAge"/>: whichever ends first).</summary>
    public int MaxAttempts { get; set; } = 50;

    /// <summary>First retry delay; it doubles each attempt, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A result not delivered within this age is parked as failed with the last reason.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Consecutive failures to one peer that open its circuit (no attempts for <see cref="CircuitBreakDuration"/>).</summary>
    public int CircuitBreakerFailures { get; set; } = 5;

    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromMinutes(1);
}
