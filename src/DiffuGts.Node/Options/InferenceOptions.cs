namespace DiffuGts.Node.Options;

/// <summary>The segmentation engine (section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>The default model package folder; relative paths are taken from the node's content root.</summary>
    public string ModelDirectory { get; set; } = "deploy/models/reference";

    /// <summary>Execution providers in order of preference ("cuda", "cpu"); the first that loads is used and logged.</summary>
    public IList<string> ExecutionProviders { get; } = [];

    public int DeviceId { get; set; }

    /// <summary>Threads per ONNX Runtime session on CPU; 0 lets the runtime choose.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Seed of the diffusion noise; results are reproducible for a given seed.</summary>
    public int Seed { get; set; } = 20250611;

    /// <summary>Segmentation jobs run at once (GPU memory holds one by default).</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>When a series has no finding: send nothing (false) or a SEG/SC stating that nothing was found (true).</summary>
    public bool SendNoFindingResult { get; set; }
}
