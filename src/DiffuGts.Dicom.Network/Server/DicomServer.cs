using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffuGts.Dicom.Network.Server;

/// <summary>
/// The DICOM listener (C-ECHO and C-STORE SCP). Every connection runs as its own task with a token linked to the
/// server's, so stopping the server aborts each association cleanly; the association cap is enforced by
/// <see cref="Negotiation.AssociationPolicy"/> with an A-ASSOCIATE-RJ (transient, local limit exceeded).
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly IStoreHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private long _nextId;
    private int _open;

    public DicomServer(DicomServerOptions options, IStoreHandler handler, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        _options = options;
        _handler = handler;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndpoint ?? throw new InvalidOperationException("server not started"));

    /// <summary>Connections being served right now (negotiating or associated).</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _listener = new TcpListener(_options.BindAddress, _options.Port);
        _listener.Start(backlog: 512);
        Log.Listening(_logger, _listener.LocalEndpoint, _options.AeTitle);
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.WaitAsync(cancellationToken);
        }

        await Task.WhenAll(_connections.Values).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var id = Interlocked.Increment(ref _nextId);
            Interlocked.Increment(ref _open);
            _connections[id] = ServeAsync(id, socket, cancellationToken);
        }
    }

    private async Task ServeAsync(long id, Socket socket, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var remote = socket.RemoteEndPoint;
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["AssociationId"] = id });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            socket.NoDelay = true;
            var stream = await OpenStreamAsync(socket, linked.Token);
            var association = new ServerAssociation(_options, _handler, _logger, _time, id, remote, () => Volatile.Read(ref _open) - 1);
            await association.RunAsync(stream, linked.Token);
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or SocketException or OperationCanceledException)
        {
            Log.ConnectionFailed(_logger, remote, ex.Message);
        }
        finally
        {
            socket.Dispose();
            Interlocked.Decrement(ref _open);
            _connections.TryRemove(id, out _);
        }
    }

    private async Task<Stream> OpenStreamAsync(Socket socket, CancellationToken cancellationToken)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (_options.TlsCertificate is null)
        {
            return network;
        }

        var tls = new SslStream(network, leaveInnerStreamOpen: false, _options.ClientCertificateValidation);
        try
        {
            using var artim = new CancellationTokenSource(_options.ArtimTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, artim.Token);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _options.TlsCertificate,
                ClientCertificateRequired = _options.RequireClientCertificate,
                RemoteCertificateValidationCallback = _options.ClientCertificateValidation,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, linked.Token);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }
}
