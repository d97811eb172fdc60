using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace DiffuGts.Inference.Execution;

/// <summary>
/// Builds ORT <see cref="SessionOptions"/> for a named execution provider (the OnnxStack idea: a provider is a named
/// factory of session options). CUDA is used when asked for and available; otherwise the CPU provider, with one
/// warning line per factory.
/// </summary>
public sealed class ExecutionProviderFactory
{
    private readonly ILogger _logger;
    private readonly Dictionary<string, Action<SessionOptions, int>> _providers;
    private int _warned;

    public ExecutionProviderFactory(ILogger? logger = null, int intraOpThreads = 0)
        : this(logger, intraOpThreads, new Dictionary<string, Action<SessionOptions, int>>
        {
            ["cpu"] = static (_, _) => { },
            ["cuda"] = static (options, deviceId) => options.AppendExecutionProvider_CUDA(deviceId),
        })
    {
    }

    /// <summary>For tests: a provider table whose entries append (or fail to append) a provider to the options.</summary>
    internal ExecutionProviderFactory(ILogger? logger, int intraOpThreads, Dictionary<string, Action<SessionOptions, int>> providers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        _logger = logger ?? NullLogger.Instance;
        IntraOpThreads = intraOpThreads;
        _providers = providers;
    }

    /// <summary>ORT intra-op threads; 0 lets ORT choose.</summary>
    public int IntraOpThreads { get; }

    /// <summary>Session options for <paramref name="requested"/>, and the device they really run on.</summary>
    public (SessionOptions Options, ExecutionDevice Device) Create(ExecutionDevice requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.IsCuda)
        {
            var options = NewOptions();
            // ORT prints its own multi-line error when the CUDA library will not load; ours is the one line that counts.
            var environment = OrtEnv.Instance();
            var level = environment.EnvLogLevel;
            try
            {
                environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
                _providers["cuda"](options, requested.DeviceId);
                InferenceLog.ProviderSelected(_logger, requested);
                return (options, requested);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or InvalidOperationException)
            {
                options.Dispose();
                WarnOnce(requested, e.Message);
            }
            finally
            {
                environment.EnvLogLevel = level;
            }
        }

        var cpu = NewOptions();
        _providers["cpu"](cpu, 0);
        InferenceLog.ProviderSelected(_logger, ExecutionDevice.Cpu);
        return (cpu, ExecutionDevice.Cpu);
    }

    /// <summary>Called when a session built with CUDA options still cannot start: the same single warning, then CPU.</summary>
    internal void WarnOnce(ExecutionDevice requested, string reason)
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            InferenceLog.CudaUnavailable(_logger, requested.ToString(), FirstLine(reason));
        }
    }

    private SessionOptions NewOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = IntraOpThreads;
        }

        return options;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }
}
