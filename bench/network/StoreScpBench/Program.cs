using System.Globalization;
using System.Net;
using DiffuGts.Dicom.Network.Server;

// Usage: StoreScpBench PORT OUTPUT_DIR [fsync]. Runs until killed.
var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var handler = new Part10FileStoreHandler(args[1], flushToDisk: args.Length > 2 && args[2] == "fsync");
await using var server = new DicomServer(new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = port }, handler);
await server.StartAsync(CancellationToken.None);
Console.WriteLine($"listening on {server.LocalEndPoint}");
await Task.Delay(Timeout.Infinite);
