using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DiffuGts.Node.Health;
using DiffuGts.Node.Hosting;
using DiffuGts.Node.Options;
using Microsoft.Extensions.Configuration;

namespace DiffuGts.Cli.Commands;

/// <summary>
/// <c>diffugts health [--url URL] [--json]</c>: the running node's health report from its loopback endpoint
/// (Health:HttpPort), readable or as the endpoint's JSON. Exit 0 healthy, 1 degraded or unhealthy, 2 no report.
/// </summary>
internal static class HealthCommand
{
    public const int Healthy = 0;
    public const int NotHealthy = 1;
    public const int Unreachable = 2;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var url = new Option<string?>("--url")
        {
            Description = "The node's health endpoint (default http://127.0.0.1:PORT with PORT = Health:HttpPort of the node's configuration).",
        };
        var json = new Option<bool>("--json") { Description = "Print the report as the endpoint's JSON instead of text." };
        var command = new Command("health", "Show the running node's health; exit 0 healthy, 1 degraded or unhealthy, 2 node not reachable.");
        command.Options.Add(url);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var given = parse.GetValue(url);
            if (given is not null && !(Uri.TryCreate(given, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttp))
            {
                await error.WriteLineAsync($"--url '{given}' is not an http:// address such as http://127.0.0.1:11113");
                return Unreachable;
            }

            var endpoint = given is not null ? ReportUri(new Uri(given)) : DefaultUri();
            if (endpoint is null)
            {
                await error.WriteLineAsync("the node's health endpoint is off (Health:HttpPort is 0); set a port or pass --url");
                return Unreachable;
            }

            string body;
            HealthReport report;
            try
            {
                using var http = new HttpClient { Timeout = RequestTimeout };
                using var response = await http.GetAsync(endpoint, cancellationToken);
                body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    await error.WriteLineAsync($"cannot read the node's health at {endpoint}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    return Unreachable;
                }

                report = JsonSerializer.Deserialize<HealthReport>(body, HealthReport.JsonOptions)
                    ?? throw new JsonException("the report is empty");
            }
            catch (Exception e) when (e is HttpRequestException or JsonException
                || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var reason = e is TaskCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:F0} s" : e.Message;
                await error.WriteLineAsync($"cannot reach the node at {endpoint}: {reason}");
                return Unreachable;
            }

            await output.WriteAsync(parse.GetValue(json) ? body.TrimEnd() + Environment.NewLine : Describe(report));
            return report.Status == HealthStatus.Healthy ? Healthy : NotHealthy;
        });
        return command;
    }

    /// <summary>The report's address under a base URL; a URL that already names /health is taken as is.</summary>
    internal static Uri ReportUri(Uri url) =>
        url.AbsolutePath.TrimEnd('/').EndsWith("/health", StringComparison.Ordinal) ? url : new Uri(url, "/health");

    /// <summary>From the same overlays the node reads (config/README.md); null when the endpoint is configured off.</summary>
    private static Uri? DefaultUri()
    {
        var configuration = new ConfigurationBuilder()
            .AddNodeSources(NodeConfiguration.FindContentRoot(), Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production")
            .Build();
        var port = NodeSettings.Bind(configuration).Health.HttpPort;
        return port == 0 ? null : new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/health");
    }

    /// <summary>The report as an operator reads it: status and problems first, then each part of the node.</summary>
    internal static string Describe(HealthReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var text = new StringBuilder();
        void Line(string label, string value) => text.Append(CultureInfo.InvariantCulture, $"  {label,-12}{value}\n");

        text.Append(CultureInfo.InvariantCulture, $"Node health: {r.Status}\n");
        foreach (var problem in r.Problems)
        {
            Line("problem", problem);
        }

        Line("listener", r.ListenerEndpoint is null ? "down" : $"up on {r.ListenerEndpoint}");
        Line("storage", $"{r.SpoolRoot}: {Size(r.FreeBytes)} free of {Size(r.TotalBytes)}"
            + (r.AcceptingAssociations ? "" : " (below the watermark: new associations refused)"));
        Line("model", r.Model is null ? "not loaded" : $"{r.Model} on {r.ExecutionProvider}");
        Line("series", $"{r.SeriesReceiving} receiving");
        Line("jobs", $"{r.JobsQueued} queued, {r.JobsRunning} running, {r.JobsResultsReady} results ready, {r.JobsExported} exported, {r.JobsFailed} failed");
        Line("outbox", $"{r.OutboxPending} pending, {r.OutboxFailed} parked");
        if (r.Counters is { } c)
        {
            text.Append(CultureInfo.InvariantCulture, $"  since {c.Since:yyyy-MM-dd HH:mm:ss}Z\n");
            Line("instances", $"{c.InstancesReceived} received, {c.InstancesStored} stored, {c.InstancesRefused} refused");
            Line("series", $"{c.SeriesReleased} released, {c.SeriesRouted} routed, {c.SeriesUnrouted} unrouted");
            Line("deliveries", $"{c.DeliveriesOk} ok, {c.DeliveriesFailed} failed attempt(s), {c.DeliveriesParked} parked");
        }

        if (r.Latencies.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {"latency",-12}{"stage",-32}{"n",6}{"last s",10}{"p50 s",10}{"p95 s",10}\n");
            foreach (var l in r.Latencies)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"  {"",-12}{l.Stage,-32}{l.Count,6}{l.LastSeconds,10:F3}{l.P50Seconds,10:F3}{l.P95Seconds,10:F3}\n");
            }
        }

        foreach (var f in r.RecentFailures)
        {
            Line("failed job", $"{f.JobId} series {f.SeriesInstanceUid} at {f.Stage ?? "?"} ({f.When:yyyy-MM-dd HH:mm:ss}Z): {f.Reason}");
        }

        return text.ToString();
    }

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F0} MiB");
}
