using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using DiffuGts.Dicom.Network.Association;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Client;

/// <summary>
/// The requestor side of one association (PS3.8 state machine, requestor role): connect, negotiate, exchange DIMSE
/// messages one at a time, release (with collision handling, AR-8 to AR-10) or abort. Failures are typed so a caller
/// can classify them: <see cref="DicomConnectionException"/> (transport), <see cref="AssociationRejectedException"/>
/// (RJ, transient or permanent), <see cref="AssociationAbortedException"/> (A-ABORT or timeout).
/// </summary>
public sealed class DicomClientAssociation : IAsyncDisposable
{
    private readonly AssociationChannel _channel;
    private readonly DicomClientOptions _options;
    private readonly AssociationStateMachine _machine;
    private readonly List<PdvFragment> _fragments = [];
    private readonly ArrayBufferWriter<byte> _command = new(512);
    private ushort _nextMessageId;
    private bool _closed;

    private DicomClientAssociation(AssociationChannel channel, DicomClientOptions options, AssociationStateMachine machine,
        IReadOnlyList<PresentationContextRequest> proposed, AssociateAcceptPdu accept)
    {
        _channel = channel;
        _options = options;
        _machine = machine;
        Proposed = proposed;
        Accept = accept;
    }

    public IReadOnlyList<PresentationContextRequest> Proposed { get; }

    public AssociateAcceptPdu Accept { get; }

    public uint PeerMaxPduLength => Accept.UserInformation.MaxPduLength;

    public AssociationState State => _machine.State;

    /// <summary>The accepted context for an abstract syntax and transfer syntax, or null.</summary>
    public byte? FindContext(string abstractSyntax, string transferSyntax)
    {
        foreach (var result in Accept.PresentationContexts.Where(r => r.IsAccepted && r.TransferSyntax == transferSyntax))
        {
            if (Proposed.Any(p => p.Id == result.Id && p.AbstractSyntax == abstractSyntax))
            {
                return result.Id;
            }
        }

        return null;
    }

    [SuppressMessage("Reliability", "CA2000", Justification = "Ownership passes to the returned object; every failure path disposes.")]
    public static async Task<DicomClientAssociation> OpenAsync(DicomClientOptions options, IReadOnlyList<PresentationContextRequest> contexts,
        TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contexts);
        var time = timeProvider ?? TimeProvider.System;
        var machine = new AssociationStateMachine(isRequestor: true);
        machine.Fire(AssociationEvent.Evt1); // AE-1: connect.
        var stream = await ConnectAsync(options, time, cancellationToken);
        var channel = new AssociationChannel(stream, options.MaxPduLength, time);
        try
        {
            machine.Fire(AssociationEvent.Evt2); // AE-2: send A-ASSOCIATE-RQ.
            await channel.SendAsync(new AssociateRequestPdu
            {
                CalledAeTitle = options.CalledAeTitle,
                CallingAeTitle = options.CallingAeTitle,
                PresentationContexts = contexts,
                UserInformation = new UserInformation
                {
                    MaxPduLength = options.MaxPduLength,
                    ImplementationClassUid = DicomUids.ImplementationClassUid,
                    ImplementationVersionName = DicomUids.ImplementationVersionName,
                },
            }, cancellationToken);

            var pdu = await ReadOrThrowAsync(channel, options.AssociationTimeout, "A-ASSOCIATE-AC", cancellationToken);
            switch (machine.Fire(AssociationStateMachine.EventFor(pdu.Type)))
            {
                case AssociationAction.Ae3:
                    return new DicomClientAssociation(channel, options, machine, contexts, (AssociateAcceptPdu)pdu.Decode());
                case AssociationAction.Ae4:
                    throw new AssociationRejectedException((AssociateRejectPdu)pdu.Decode());
                case AssociationAction.Aa3:
                    var abort = (AbortPdu)pdu.Decode();
                    throw new AssociationAbortedException(abort, $"peer aborted during negotiation ({abort.Source}, {abort.Reason})");
                default:
                    await channel.SendAsync(new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), cancellationToken);
                    throw new AssociationAbortedException($"unexpected {pdu.Type} PDU while awaiting A-ASSOCIATE-AC");
            }
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    public async Task<DimseStatus> EchoAsync(CancellationToken cancellationToken)
    {
        var context = FindContext(Negotiation.SopClassUids.Verification, Negotiation.TransferSyntaxUids.ImplicitVrLittleEndian)
            ?? FindContext(Negotiation.SopClassUids.Verification, Negotiation.TransferSyntaxUids.ExplicitVrLittleEndian)
            ?? throw new InvalidOperationException("the peer accepted no Verification presentation context");
        var response = await SendAsync(context, DimseCommand.EchoRequest(NextMessageId()), null, cancellationToken);
        return response.Status ?? DimseStatus.ProcessingFailure;
    }

    public ushort NextMessageId() => ++_nextMessageId == 0 ? ++_nextMessageId : _nextMessageId;

    /// <summary>Sends a request (command, then the data set streamed from <paramref name="dataSet"/>) and returns the response command.</summary>
    public async Task<DimseCommand> SendAsync(byte contextId, DimseCommand request, Stream? dataSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            _machine.Fire(AssociationEvent.Evt9); // DT-1.
            await PDataSender.SendAsync(_channel.Output, contextId, isCommand: true, request.Encode(), PeerMaxPduLength, cancellationToken);
            if (dataSet is not null)
            {
                await PDataSender.SendDataSetAsync(_channel.Output, contextId, dataSet, PeerMaxPduLength, cancellationToken);
            }

            return await ReadResponseAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw new DicomConnectionException($"connection lost during DIMSE exchange: {ex.Message}", ex);
        }
    }

    private async Task<DimseCommand> ReadResponseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var pdu = await ReadOrThrowAsync(_channel, _options.DimseTimeout, "DIMSE response", cancellationToken);
            switch (_machine.Fire(AssociationStateMachine.EventFor(pdu.Type)))
            {
                case AssociationAction.Dt2:
                    _fragments.Clear();
                    PDataTfPdu.ReadFragments(pdu.Body, _fragments);
                    foreach (var fragment in _fragments.Where(f => f.IsCommand))
                    {
                        fragment.Data.CopyTo(_command.GetSpan((int)fragment.Data.Length));
                        _command.Advance((int)fragment.Data.Length);
                        if (fragment.IsLast)
                        {
                            var command = DimseCommand.Decode(_command.WrittenSpan);
                            _command.Clear();
                            return command;
                        }
                    }

                    break;
                case AssociationAction.Aa3:
                    var abort = (AbortPdu)pdu.Decode();
                    throw new AssociationAbortedException(abort, $"peer aborted the association ({abort.Source}, {abort.Reason})");
                default:
                    // AA-8 (or a peer release request in Sta6, AR-2, which we treat the same: the operation cannot complete).
                    await TryAbortAsync(AbortReason.UnexpectedPdu);
                    throw new AssociationAbortedException($"unexpected {pdu.Type} PDU while awaiting a DIMSE response");
            }
        }
    }

    /// <summary>A-RELEASE (PS3.8 §7.2): AR-1, then wait for RP (AR-3), answering a release collision (AR-8, AR-9).</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        _machine.Fire(AssociationEvent.Evt11);
        await _channel.SendAsync(ReleaseRequestPdu.Instance, cancellationToken);
        while (_machine.State != AssociationState.Sta1)
        {
            var pdu = await ReadOrThrowAsync(_channel, _options.AssociationTimeout, "A-RELEASE-RP", cancellationToken);
            switch (_machine.Fire(AssociationStateMachine.EventFor(pdu.Type)))
            {
                case AssociationAction.Ar8:
                    _machine.Fire(AssociationEvent.Evt14); // AR-9: send RP, Sta11.
                    await _channel.SendAsync(ReleaseResponsePdu.Instance, cancellationToken);
                    break;
                case AssociationAction.Aa3:
                    throw new AssociationAbortedException((AbortPdu)pdu.Decode(), "peer aborted during release");
                case AssociationAction.Aa8:
                    await TryAbortAsync(AbortReason.UnexpectedPdu);
                    throw new AssociationAbortedException($"unexpected {pdu.Type} PDU during release");
                default:
                    break; // AR-3 (done), AR-6 (late P-DATA ignored).
            }
        }

        await CloseTransportAsync(); // AR-3: the side that receives the RP closes the connection.
    }

    /// <summary>A-ABORT by the service user (AA-1).</summary>
    public async Task AbortAsync(CancellationToken cancellationToken)
    {
        if (_machine.State is AssociationState.Sta1 or AssociationState.Sta13)
        {
            return;
        }

        _machine.Fire(AssociationEvent.Evt15);
        await _channel.SendAsync(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_machine.State == AssociationState.Sta6)
        {
            await TryAbortAsync(AbortReason.NotSpecified);
        }

        await CloseTransportAsync();
    }

    private async Task CloseTransportAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await _channel.DisposeAsync();
        }
    }

    private async Task TryAbortAsync(AbortReason reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _channel.SendAsync(new AbortPdu(AbortSource.ServiceProvider, reason), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The peer is gone already.
        }
    }

    private static async Task<ReceivedPdu> ReadOrThrowAsync(AssociationChannel channel, TimeSpan timeout, string awaiting,
        CancellationToken cancellationToken)
    {
        try
        {
            return await channel.ReadAsync(timeout, cancellationToken)
                ?? throw new DicomConnectionException($"peer closed the connection while we awaited {awaiting}");
        }
        catch (TimeoutException ex)
        {
            throw new AssociationAbortedException($"no {awaiting} within {timeout}", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw new DicomConnectionException($"connection lost while we awaited {awaiting}: {ex.Message}", ex);
        }
    }

    [SuppressMessage("Reliability", "CA2000", Justification = "Ownership passes to the returned object; every failure path disposes.")]
    private static async Task<Stream> ConnectAsync(DicomClientOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await client.ConnectAsync(options.Host, options.Port, linked.Token);
            Stream stream = client.GetStream();
            if (options.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false, options.ServerCertificateValidation);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = options.TlsTargetHost ?? options.Host,
                    ClientCertificates = options.ClientCertificate is null ? null : [options.ClientCertificate],
                    RemoteCertificateValidationCallback = options.ServerCertificateValidation,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                }, linked.Token);
                stream = tls;
            }

            return new OwningStream(stream, client);
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            client.Dispose();
            throw new DicomConnectionException($"cannot connect to {options.Host}:{options.Port}: {ex.Message}", ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
