using Microsoft.Extensions.Logging;

namespace DiffuGts.Inference.Execution;

/// <summary>Inference log messages, event IDs 4000–4099 (STYLE.md §9: inference is the 4000s).</summary>
internal static partial class InferenceLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Execution provider {Requested} is not available ({Reason}); falling back to the CPU provider")]
    public static partial void CudaUnavailable(ILogger logger, string requested, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Execution provider {Provider} selected")]
    public static partial void ProviderSelected(ILogger logger, ExecutionDevice provider);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "Model package {Name} {Version} loaded from {Directory} on {Provider} ({Graphs} graphs, {ElapsedMs} ms)")]
    public static partial void PackageLoaded(ILogger logger, string name, string version, string directory, ExecutionDevice provider, int graphs, long elapsedMs);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Debug, Message = "Stage {Stage} finished in {ElapsedMs} ms")]
    public static partial void StageFinished(ILogger logger, Pipeline.PipelineStage stage, long elapsedMs);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "Diffusion step {Step}/{Steps} at t={Timestep} took {ElapsedMs} ms")]
    public static partial void DiffusionStep(ILogger logger, int step, int steps, double timestep, long elapsedMs);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Information,
        Message = "Prompt '{Prompt}': {Lesions} lesion(s), {Voxels} voxels, {ElapsedMs} ms")]
    public static partial void PromptFinished(ILogger logger, string prompt, int lesions, long voxels, long elapsedMs);
}
