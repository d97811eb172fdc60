namespace DiffuGts.Node.Export;

/// <summary>
/// When the next delivery attempt is due: exponential backoff (initial · 2^(attempt−1)) capped at the maximum, with
/// "full jitter" — a uniformly random share between half and all of that delay — so that many results waiting for
/// the same PACS do not retry in lock step. The delay is persisted with the outbox item, so it survives restarts.
/// </summary>
public static class BackoffSchedule
{
    public static TimeSpan DelayAfter(int failedAttempts, TimeSpan initial, TimeSpan max, double jitter01)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(failedAttempts);
        if (jitter01 is < 0 or > 1 || double.IsNaN(jitter01))
        {
            throw new ArgumentOutOfRangeException(nameof(jitter01), jitter01, "jitter is a fraction in [0, 1]");
        }

        // 2^30 · initial already exceeds any sensible cap; clamping the exponent avoids overflow.
        var exponent = Math.Min(failedAttempts - 1, 30);
        var ticks = Math.Min(max.Ticks, initial.Ticks * (double)(1L << exponent));
        return TimeSpan.FromTicks((long)(ticks * (0.5 + 0.5 * jitter01)));
    }
}
