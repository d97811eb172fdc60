using System.IO.Pipelines;
using DiffuGts.Dicom.Network;
using DiffuGts.Dicom.Network.Pdus;
using DiffuGts.Dicom.Network.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiffuGts.Fuzz;

/// <summary>
/// Fuzz target "pdu": the bytes are what a peer sent on one connection. Two passes over them:
/// <list type="number">
/// <item>every PDU read with <see cref="PduReader"/> (header checks, PS3.8 §9.3.1) and decoded, including the
/// A-ASSOCIATE-AC/RJ that only our SCU reads; the documented answers are <see cref="DicomProtocolException"/> and
/// <see cref="EndOfStreamException"/> (connection closed inside a PDU);</item>
/// <item>the same bytes served by the SCP's own association (<see cref="ServerAssociation"/>, as <see cref="DicomServer"/> runs it for each connection): the state
/// machine, negotiation, PDV reassembly (PS3.8 Annex E), DIMSE command decoding (PS3.7 §6.3) and the data-set pipe. It
/// turns protocol errors into A-ABORT itself, so any exception that escapes it is a crash.</item>
/// </list>
/// </summary>
internal static class PduFuzzTarget
{
    /// <summary>The Maximum Length we announce in the fuzzed association: small, so that the limit is exercised.</summary>
    private const uint MaxPduLength = 16 * 1024;

    private static readonly DicomServerOptions Options = new()
    {
        MaxPduLength = MaxPduLength,
        MaxDataSetBytes = 64 * 1024,
        ArtimTimeout = TimeSpan.FromSeconds(5),
        IdleTimeout = TimeSpan.FromSeconds(5),
    };

    public static void ReadAll(byte[] input)
    {
        try
        {
            DecodeAllAsync(input).AsTask().GetAwaiter().GetResult();
        }
        catch (DicomProtocolException)
        {
            // The documented answer to a malformed, unknown or oversized PDU.
        }
        catch (EndOfStreamException)
        {
            // The documented answer to a connection closed inside a PDU.
        }

        var association = new ServerAssociation(Options, DrainingHandler.Instance, NullLogger.Instance, TimeProvider.System, id: 1,
            remote: null, otherAssociations: () => 0);
        association.RunAsync(new FuzzConnection(input), CancellationToken.None).GetAwaiter().GetResult();
    }

    private static async ValueTask DecodeAllAsync(byte[] input)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(input);
        await pipe.Writer.CompleteAsync();
        var reader = new PduReader(pipe.Reader, MaxPduLength);
        while (await reader.ReadAsync(CancellationToken.None) is { } pdu)
        {
            _ = pdu.Decode();
        }
    }

    /// <summary>Reads every data set to the end and stores nothing (the fuzzer tests the protocol, not the disk).</summary>
    private sealed class DrainingHandler : IStoreHandler
    {
        public static DrainingHandler Instance { get; } = new();

        public async ValueTask<StoreResult> StoreAsync(StoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            await dataSet.CopyToAsync(Stream.Null, cancellationToken);
            return StoreResult.Success;
        }
    }
}
