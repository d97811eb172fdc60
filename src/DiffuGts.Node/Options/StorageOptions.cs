namespace DiffuGts.Node.Options;

/// <summary>Durable spool and series completeness (section <c>Storage</c>). See docs/adr/0002-durable-state.md.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Spool root; relative paths are taken from the node's content root.</summary>
    public string Root { get; set; } = "spool";

    /// <summary>A series is released for segmentation once no instance of it has arrived for this long.</summary>
    public TimeSpan SeriesIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A series still receiving after this long is released anyway (a sender that never stops).</summary>
    public TimeSpan MaxSeriesAge { get; set; } = TimeSpan.FromHours(2);

    /// <summary>New associations are refused when the spool's volume has less than this share free (0–100).</summary>
    public double LowDiskWatermarkPercent { get; set; } = 5;

    /// <summary>Bytes that must stay free beyond the watermark; a C-STORE that would cross it gets out-of-resources.</summary>
    public long ReservedBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>Days a series is kept after its results were delivered (or after it was found unrouted).</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>What an instance that arrives after its series was released does.</summary>
    public LateInstancePolicy LateInstancePolicy { get; set; } = LateInstancePolicy.Rerun;

    /// <summary>Flush each instance to stable storage before its success status (turning this off loses the guarantee).</summary>
    public bool FlushToDisk { get; set; } = true;
}

/// <summary>Behaviour for instances that arrive after their series was released (issue 7 §3: never a silent drop).</summary>
public enum LateInstancePolicy
{
    /// <summary>The instance is stored and the series is segmented again once quiet; results replace the earlier ones (same UIDs).</summary>
    Rerun,

    /// <summary>The instance is stored with its series and logged; no new segmentation runs.</summary>
    Attach,
}
