using System.Text.Json.Nodes;
using DiffuGts.Inference.Packages;
using DiffuGts.Inference.Schedulers;
using DiffuGts.Testing;

namespace DiffuGts.Inference.Tests.Schedulers;

/// <summary>
/// Scheduler steps against an independent float64 numpy implementation of the paper formulas
/// (Fixtures/scheduler_reference.py), for a few timesteps each.
/// </summary>
public sealed class SchedulerReferenceTests
{
    private const int Seed = 20251128;
    private const float Tolerance = 2e-5f;

    private static readonly float[] X = [.. Enumerable.Range(0, 8).Select(n => (float)Math.Sin(n * 1.3) * 1.5f)];
    private static readonly float[] Output = [.. Enumerable.Range(0, 8).Select(n => (float)Math.Cos((n * 0.7) + 0.2))];

    private static readonly SchedulerSpec Ddpm = new()
    {
        Type = SchedulerType.Ddpm, NumTrainTimesteps = 1000, PredictionType = PredictionType.Epsilon,
        BetaSchedule = BetaSchedule.ScaledLinear, BetaStart = 0.0015, BetaEnd = 0.0195,
    };

    private static readonly Lazy<JsonObject> Reference = new(Compute);

    [CachedPythonFact("numpy")]
    public void DdpmDenoise_FullSchedule_MatchesHoEquation7()
    {
        var scheduler = new DdpmScheduler(Ddpm);
        scheduler.SetTimesteps(1000, 1);
        foreach (var t in new[] { 999, 500, 1, 0 })
        {
            var index = 999 - t;
            Assert.Equal(t, scheduler.Timesteps[index]);
            var next = new float[8];
            scheduler.Denoise(Output, index, X, next, new float[8], new SeededGaussian(Seed));
            AssertClose(Reference.Value[$"ddpm_{t}"]!, next, $"ddpm t={t}");
        }
    }

    [PythonTheory("numpy")]
    [InlineData(980, 0.0, "epsilon")]
    [InlineData(500, 0.0, "epsilon")]
    [InlineData(0, 0.0, "epsilon")]
    [InlineData(500, 1.0, "epsilon")]
    [InlineData(300, 0.0, "v_prediction")]
    public void DdimDenoise_FiftySteps_MatchesSongEquations12And16(int t, double eta, string prediction)
    {
        var spec = Ddpm with { Type = SchedulerType.Ddim, PredictionType = prediction == "epsilon" ? PredictionType.Epsilon : PredictionType.VPrediction };
        var scheduler = new DdimScheduler(spec, eta);
        scheduler.SetTimesteps(50, 1);
        Assert.Equal(Reference.Value["ddim_timesteps"]!.AsArray().Select(v => (double)v!), scheduler.Timesteps);
        var index = scheduler.Timesteps.ToList().IndexOf(t);
        var next = new float[8];
        scheduler.Denoise(Output, index, X, next, new float[8], new SeededGaussian(Seed));
        AssertClose(Reference.Value[$"ddim_{t}_{eta:0.0}_{prediction}"]!, next, $"ddim t={t}");
    }

    [CachedPythonFact("numpy")]
    public void DdimInvert_FromStep20_MatchesReversedStep()
    {
        var scheduler = new DdimScheduler(Ddpm with { Type = SchedulerType.Ddim });
        scheduler.SetTimesteps(50, 1);
        var next = new float[8];
        scheduler.Invert(Output, 20, X, next);
        AssertClose(Reference.Value["ddim_invert"]!, next, "ddim inversion");
    }

    [CachedPythonFact("numpy")]
    public void RectifiedFlow_ThirtySteps_MatchesMaisiV2TimestepsAndEulerSteps()
    {
        var spec = new SchedulerSpec { Type = SchedulerType.RectifiedFlow, NumTrainTimesteps = 1000, PredictionType = PredictionType.X0MinusNoise };
        var scheduler = new RectifiedFlowScheduler(spec);
        scheduler.SetTimesteps(30, 32 * 32 * 8);
        Assert.Equal(Reference.Value["rflow_timesteps"]!.AsArray().Select(v => (double)v!), scheduler.Timesteps);
        Assert.Equal(1000, scheduler.Timesteps[0]);
        foreach (var i in new[] { 0, 10, 29 })
        {
            var next = new float[8];
            var x0 = new float[8];
            scheduler.Denoise(Output, i, X, next, x0, new SeededGaussian(Seed));
            AssertClose(Reference.Value[$"rflow_{i}"]!, next, $"rflow step {i}");
            AssertClose(Reference.Value[$"rflow_x0_{i}"]!, x0, $"rflow x0 {i}");
        }
    }

    [CachedPythonFact("numpy")]
    public void SeededGaussian_SameSeed_MatchesIndependentXoshiroBoxMuller()
    {
        var rng = new SeededGaussian(Seed);
        var values = Enumerable.Range(0, 9).Select(_ => rng.NextGaussian()).ToArray();
        AssertClose(Reference.Value["gaussians"]!, values, "noise stream");
    }

    [Fact]
    public void RectifiedFlowAddNoise_TimestepT_IsPureNoise()
    {
        var spec = new SchedulerSpec { Type = SchedulerType.RectifiedFlow, NumTrainTimesteps = 1000, PredictionType = PredictionType.X0MinusNoise };
        var scheduler = new RectifiedFlowScheduler(spec);
        var noisy = new float[8];
        scheduler.AddNoise(X, Output, 1000, noisy);
        Assert.Equal(Output, noisy);
        scheduler.AddNoise(X, Output, null, noisy);
        Assert.Equal(X, noisy);
    }

    [Fact]
    public void DdimDenoise_FullLoopWithExactEpsilon_RecoversX0()
    {
        // With the true ε at every step, deterministic DDIM walks back exactly to x0 (eq. 12 with σ = 0).
        var scheduler = new DdimScheduler(Ddpm with { Type = SchedulerType.Ddim });
        scheduler.SetTimesteps(20, 1);
        var x = new float[8];
        scheduler.AddNoise(X, Output, scheduler.Timesteps[0], x);
        var next = new float[8];
        for (var i = 0; i < scheduler.Timesteps.Count; i++)
        {
            scheduler.Denoise(Output, i, x, next, new float[8], new SeededGaussian(1));
            next.CopyTo(x, 0);
        }

        for (var n = 0; n < 8; n++)
        {
            Assert.Equal(X[n], x[n], 3e-4f);
        }
    }

    private static JsonObject Compute()
    {
        var rng = new SeededGaussian(Seed);
        var z = Enumerable.Range(0, 8).Select(_ => rng.NextGaussian()).ToArray();
        var request = new JsonObject
        {
            ["x"] = new JsonArray([.. X.Select(v => JsonValue.Create((double)v))]),
            ["model_output"] = new JsonArray([.. Output.Select(v => JsonValue.Create((double)v))]),
            ["z"] = new JsonArray([.. z.Select(v => JsonValue.Create((double)v))]),
            ["ddpm_t"] = new JsonArray(999, 500, 1, 0),
            ["ddim_steps"] = 50,
            ["ddim_cases"] = new JsonArray(
                Case(980, 0.0, "epsilon"), Case(500, 0.0, "epsilon"), Case(0, 0.0, "epsilon"), Case(500, 1.0, "epsilon"), Case(300, 0.0, "v_prediction")),
            ["invert_t"] = 20,
            ["rflow_steps"] = 30,
            ["rflow_numel"] = 32 * 32 * 8,
            ["rflow_index"] = new JsonArray(0, 10, 29),
            ["seed"] = Seed,
            ["gaussians"] = 9,
        };
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "scheduler_reference.py");
        var input = Path.GetTempFileName();
        File.WriteAllText(input, request.ToJsonString());
        try
        {
            var result = ProcessRunner.Run("/bin/sh", ["-c", $"\"{Peers.DebianPython}\" \"{script}\" < \"{input}\""], TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 0, result.StandardError);
            return JsonNode.Parse(result.StandardOutput)!.AsObject();
        }
        finally
        {
            File.Delete(input);
        }

        static JsonObject Case(int t, double eta, string prediction) => new() { ["t"] = t, ["eta"] = eta, ["prediction"] = prediction };
    }

    private static void AssertClose(JsonNode expected, float[] actual, string what)
    {
        var values = expected.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal(values.Length, actual.Length);
        for (var n = 0; n < values.Length; n++)
        {
            var tolerance = Tolerance * Math.Max(1, Math.Abs(values[n]));
            Assert.True(Math.Abs(values[n] - actual[n]) <= tolerance, $"{what}[{n}]: expected {values[n]:R}, got {actual[n]:R}");
        }
    }
}
