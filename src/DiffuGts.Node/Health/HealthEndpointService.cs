using System.Net;
using System.Text.Json;
using DiffuGts.Node.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiffuGts.Node.Health;

/// <summary>
/// The optional local health endpoint on 127.0.0.1 (Health:HttpPort; off at 0): <c>/health/live</c> answers 200 while
/// the process runs, <c>/health/ready</c> 200 when healthy or degraded and 503 when unhealthy, <c>/health</c> the full
/// JSON report. Loopback only: the report names UIDs and paths, not for the hospital network at large. A port that is
/// taken is logged and the node runs on without the endpoint: monitoring must never stop the DICOM service.
/// </summary>
internal sealed class HealthEndpointService(IOptionsMonitor<NodeSettings> settings, Func<CancellationToken, Task<HealthReport>> report,
    ILogger<HealthEndpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = settings.CurrentValue.Health.HttpPort;
        if (port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        var prefix = $"http://127.0.0.1:{port}/health/";
        listener.Prefixes.Add(prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            Log.HealthEndpointUnavailable(logger, prefix, e.Message);
            return;
        }

        Log.HealthEndpoint(logger, prefix);
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

            try
            {
                await AnswerAsync(context, stoppingToken);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client hung up: that request fails, the endpoint stays.
                Log.HealthRequestFailed(logger, e.Message);
            }
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

        HealthReport r;
        try
        {
            r = await report(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            // A spool record that cannot be read right now fails this request (500), never the node.
            Log.HealthRequestFailed(logger, e.Message);
            response.StatusCode = 500;
            return;
        }

        response.StatusCode = path switch
        {
            "/health/ready" => r.Status == HealthStatus.Unhealthy ? 503 : 200,
            "/health" => 200,
            _ => 404,
        };
        if (response.StatusCode != 404)
        {
            response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(response.OutputStream, r, HealthReport.JsonOptions, cancellationToken);
        }
    }
}
