using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using DiffuGts.Node.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Health;

/// <summary>
/// The optional local health endpoint on 127.0.0.1 (Health:HttpPort; off at 0): <c>/health/live</c> answers 200 while
/// the process runs, <c>/health/ready</c> 200 when healthy or degraded and 503 when unhealthy, <c>/health</c> the full
/// JSON report. Loopback only: the report names UIDs and paths, not for the hospital network at large.
/// </summary>
internal sealed class HealthEndpointService(IOptionsMonitor<NodeSettings> settings, Func<CancellationToken, Task<HealthReport>> report)
    : BackgroundService
{
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = settings.CurrentValue.Health.HttpPort;
        if (port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/health/");
        listener.Start();
        using var registration = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                break;
            }

            await AnswerAsync(context, stoppingToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? "";
        if (path == "/health/live")
        {
            response.StatusCode = 200;
            return;
        }

        var r = await report(cancellationToken);
        response.StatusCode = path switch
        {
            "/health/ready" => r.Status == HealthStatus.Unhealthy ? 503 : 200,
            "/health" => 200,
            _ => 404,
        };
        if (response.StatusCode != 404)
        {
            response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(response.OutputStream, r, Json, cancellationToken);
        }
    }
}
