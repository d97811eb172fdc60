using DiffuGts.Inference.Execution;
using DiffuGts.Inference.Packages;
using DiffuGts.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace DiffuGts.Inference.Tests.Execution;

public sealed class ExecutionProviderFactoryTests
{
    [Fact]
    public void Create_CudaUnavailable_FallsBackToCpuWithOneWarning()
    {
        var logger = new TestLogger();
        var factory = new ExecutionProviderFactory(logger, 0, new Dictionary<string, Action<SessionOptions, int>>
        {
            ["cpu"] = static (_, _) => { },
            ["cuda"] = static (_, _) => throw new DllNotFoundException("libcudart.so.12: cannot open shared object file"),
        });

        var (first, device) = factory.Create(ExecutionDevice.Parse("cuda:1"));
        first.Dispose();
        var (second, _) = factory.Create(ExecutionDevice.Parse("cuda:1"));
        second.Dispose();

        Assert.Equal(ExecutionDevice.Cpu, device);
        var warning = Assert.Single(logger.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal(4001, warning.Id.Id);
        Assert.Contains("cuda:1", warning.Message, StringComparison.Ordinal);
        Assert.Contains("libcudart", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', warning.Message);
    }

    [CachedPythonFact("torch", "onnx")]
    public void Load_CudaRequestedWithoutUsableCuda_RunsOnCpu()
    {
        // The real provider table: on a machine without CUDA (CI) this is the fallback path end to end.
        var logger = new TestLogger();
        using var package = ModelPackage.Load(TinyPackages.Get(), ExecutionDevice.Parse("cuda"), new ExecutionProviderFactory(logger), logger);
        if (package.Device.IsCuda)
        {
            Assert.DoesNotContain(logger.Lines, l => l.Level == LogLevel.Warning);
        }
        else
        {
            Assert.True(logger.Lines.Count(l => l.Id.Id == 4001) == 1, string.Join(" | ", logger.Lines.Select(l => $"{l.Id.Id} {l.Message}")));
        }
    }

    [Theory]
    [InlineData("cpu", "cpu", 0)]
    [InlineData("CUDA", "cuda", 0)]
    [InlineData("cuda:3", "cuda", 3)]
    public void Parse_KnownNames_GiveProviderAndDevice(string name, string provider, int id)
    {
        var device = ExecutionDevice.Parse(name);
        Assert.Equal(provider, device.Provider);
        Assert.Equal(id, device.DeviceId);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void Parse_UnknownName_Throws(string name) => Assert.Throws<ArgumentException>(() => ExecutionDevice.Parse(name));
}
