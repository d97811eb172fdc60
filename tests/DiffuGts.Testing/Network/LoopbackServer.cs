using System.Net;
using DiffuGts.Dicom.Network.Client;
using DiffuGts.Dicom.Network.Server;

namespace DiffuGts.Testing.Network;

/// <summary>Our SCP on 127.0.0.1, port 0, writing Part 10 files into a temp folder (or using a given handler).</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(DicomServer server, TempDirectory folder)
    {
        Server = server;
        Folder = folder;
    }

    public DicomServer Server { get; }

    public TempDirectory Folder { get; }

    public string StoreDirectory => Folder.Combine("received");

    public int Port => Server.LocalEndPoint.Port;

    public IPEndPoint EndPoint => Server.LocalEndPoint;

    public static async Task<LoopbackServer> StartAsync(DicomServerOptions? options = null, IStoreHandler? handler = null,
        TimeProvider? time = null)
    {
        var folder = new TempDirectory("diffugts-net");
        var server = new DicomServer(
            (options ?? new DicomServerOptions()) with { BindAddress = IPAddress.Loopback, Port = 0 },
            handler ?? new Part10FileStoreHandler(folder.Combine("received")),
            timeProvider: time);
        await server.StartAsync(CancellationToken.None);
        return new LoopbackServer(server, folder);
    }

    public DicomClientOptions Client(string calledAe = "DIFFUGTS") => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        CalledAeTitle = calledAe,
        CallingAeTitle = "TESTSCU",
        AssociationTimeout = TimeSpan.FromSeconds(20),
        DimseTimeout = TimeSpan.FromSeconds(20),
    };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Folder.Dispose();
    }
}
