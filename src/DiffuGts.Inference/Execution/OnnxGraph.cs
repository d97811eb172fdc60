using System.Runtime.InteropServices;
using System.Numerics.Tensors;
using DiffuGts.Inference.Packages;
using Microsoft.ML.OnnxRuntime;
using OrtElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace DiffuGts.Inference.Execution;

/// <summary>
/// One ONNX graph of a package: the session is created once, its input/output metadata checked against the manifest
/// (docs/model-package.md §8 step 6), and every run binds inputs by name, honours cancellation through
/// <see cref="RunOptions.Terminate"/>, converts float16 at the boundary and refuses NaN/∞ outputs.
/// </summary>
internal sealed class OnnxGraph : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _outputNames;

    public OnnxGraph(GraphSpec spec, InferenceSession session)
    {
        Spec = spec;
        _session = session;
        CheckSignature(spec, session);
        _outputNames = [.. spec.Outputs.Select(o => o.Name)];
    }

    public GraphSpec Spec { get; }

    public string File => Spec.File;

    /// <summary>Runs the graph. Float inputs are <see cref="FloatTensor"/>s, int64 inputs <see cref="LongTensor"/>s or <c>long[]</c> of shape [n].</summary>
    public Dictionary<string, FloatTensor> Run(IReadOnlyDictionary<string, object> inputs, CancellationToken cancellationToken, IReadOnlyCollection<string>? outputs = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var values = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        using var runOptions = new RunOptions();
        // OnnxStack's habit: a cancelled token asks ORT to stop the run in progress.
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        try
        {
            foreach (var input in Spec.Inputs)
            {
                if (!inputs.TryGetValue(input.Name, out var value))
                {
                    throw new InvalidOperationException($"{File}: input '{input.Name}' was not supplied");
                }

                values.Add(input.Name, ToOrtValue(input, value));
            }

            var wanted = outputs is null ? _outputNames : [.. outputs];
            using var results = _session.Run(runOptions, values, wanted);
            var map = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
            var n = 0;
            foreach (var result in results)
            {
                map.Add(wanted[n], ToFloatTensor(wanted[n], result));
                n++;
            }

            return map;
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            foreach (var value in values.Values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();

    private OrtValue ToOrtValue(TensorSpec spec, object value)
    {
        switch (value)
        {
            case FloatTensor tensor when spec.ElementType == TensorElementType.Fp32:
                // Pins the managed buffer; no copy.
                return OrtValue.CreateTensorValueFromMemory(tensor.Data, tensor.LongShape);
            case FloatTensor tensor when spec.ElementType == TensorElementType.Fp16:
                var half = new Half[tensor.Data.Length];
                TensorPrimitives.ConvertToHalf(tensor.Data, half);
                var fp16 = MemoryMarshal.Cast<Half, Float16>(half).ToArray();
                return OrtValue.CreateTensorValueFromMemory(fp16, tensor.LongShape);
            case long[] longs when spec.ElementType == TensorElementType.I64:
                return OrtValue.CreateTensorValueFromMemory(longs, [longs.Length]);
            case LongTensor tensor when spec.ElementType == TensorElementType.I64:
                return OrtValue.CreateTensorValueFromMemory(tensor.Data, tensor.LongShape);
            default:
                throw new InvalidOperationException($"{File}: input '{spec.Name}' is {spec.ElementType}, given {value.GetType().Name}");
        }
    }

    private FloatTensor ToFloatTensor(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape.Select(d => checked((int)d)).ToArray();
        float[] data;
        if (info.ElementDataType == OrtElementType.Float)
        {
            data = value.GetTensorDataAsSpan<float>().ToArray();
        }
        else if (info.ElementDataType == OrtElementType.Float16)
        {
            var half = MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>());
            data = new float[half.Length];
            TensorPrimitives.ConvertToSingle(half, data);
        }
        else
        {
            throw new ModelPackageException(ModelPackageErrorCode.GraphSignatureMismatch, File, $"outputs[{name}]", $"output is {info.ElementDataType}, not a float tensor");
        }

        var bad = IndexOfNonFinite(data);
        if (bad >= 0)
        {
            throw new ModelPackageException(ModelPackageErrorCode.NonFiniteOutput, File, $"outputs[{name}]",
                $"output holds a non-finite value ({data[bad]}) at flat index {bad}");
        }

        return new FloatTensor(data, shape);
    }

    private static int IndexOfNonFinite(float[] data)
    {
        // x − x is 0 for finite x and NaN for NaN and ±∞, so one vectorised sum finds out whether a slow scan is needed.
        var sum = 0f;
        for (var n = 0; n < data.Length; n++)
        {
            sum += data[n] - data[n];
        }

        if (float.IsFinite(sum))
        {
            return -1;
        }

        return Array.FindIndex(data, v => !float.IsFinite(v));
    }

    private static void CheckSignature(GraphSpec spec, InferenceSession session)
    {
        Compare(spec, "inputs", spec.Inputs, session.InputMetadata);
        Compare(spec, "outputs", spec.Outputs, session.OutputMetadata);
    }

    private static void Compare(GraphSpec spec, string kind, IReadOnlyList<TensorSpec> listed, IReadOnlyDictionary<string, NodeMetadata> actual)
    {
        var key = $"graphs.{GraphContract.ManifestKey(spec.Role)}.{kind}";
        foreach (var name in actual.Keys.Where(n => listed.All(t => t.Name != n)))
        {
            throw Mismatch(spec, $"{key}[{name}]", $"the graph has {kind[..^1]} '{name}', which the manifest does not list");
        }

        foreach (var t in listed)
        {
            if (!actual.TryGetValue(t.Name, out var meta))
            {
                throw Mismatch(spec, $"{key}[{t.Name}]", $"the graph has no {kind[..^1]} '{t.Name}' (it has: {string.Join(", ", actual.Keys)})");
            }

            var type = meta.IsTensor ? meta.ElementDataType : default;
            var expected = t.ElementType switch
            {
                TensorElementType.Fp32 => OrtElementType.Float,
                TensorElementType.Fp16 => OrtElementType.Float16,
                _ => OrtElementType.Int64,
            };
            if (!meta.IsTensor || type != expected)
            {
                throw Mismatch(spec, $"{key}[{t.Name}].dtype", $"manifest says {t.ElementType}, the graph has {(meta.IsTensor ? type : meta.OnnxValueType)}");
            }

            var dims = meta.Dimensions;
            if (dims.Length != t.Rank)
            {
                throw Mismatch(spec, $"{key}[{t.Name}].shape", $"manifest rank {t.Rank}, graph rank {dims.Length}");
            }

            for (var d = 0; d < dims.Length; d++)
            {
                var ok = t.Dimensions[d] is { } size ? dims[d] == size : dims[d] < 0;
                if (!ok)
                {
                    var want = t.Dimensions[d]?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? $"dynamic '{t.SymbolicDimensions[d]}'";
                    var have = dims[d] < 0 ? "dynamic" : dims[d].ToString(System.Globalization.CultureInfo.InvariantCulture);
                    throw Mismatch(spec, $"{key}[{t.Name}].shape[{d}]", $"manifest says {want}, the graph has {have}");
                }
            }
        }
    }

    private static ModelPackageException Mismatch(GraphSpec spec, string key, string detail) =>
        new(ModelPackageErrorCode.GraphSignatureMismatch, spec.File, key, detail);
}
