using System.Buffers;
using System.Net;
using DiffuGts.Dicom.Network.Association;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Pdus;
using Microsoft.Extensions.Logging;

namespace DiffuGts.Dicom.Network.Server;

/// <summary>
/// The acceptor side of one connection, driven by the PS3.8 state machine: every PDU becomes an event, and the
/// action from Table 9-10 decides what happens (AE-6/7/8 establishment, DT-2 data, AR-2/AR-4 release, AA-x abort).
/// Messages are handled one at a time (no asynchronous operations window is offered).
/// </summary>
internal sealed class ServerAssociation
{
    private readonly DicomServerOptions _options;
    private readonly IStoreHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _id;
    private readonly EndPoint? _remote;
    private readonly Func<int> _otherAssociations;
    private readonly AssociationStateMachine _machine = new(isRequestor: false);
    private readonly Dictionary<byte, PresentationContextResult> _accepted = [];
    private readonly Dictionary<byte, string> _abstractSyntaxes = [];
    private readonly List<PdvFragment> _fragments = [];
    private readonly ArrayBufferWriter<byte> _command = new(512);
    private AssociationInfo? _info;
    private IncomingDataSet? _incoming;
    private uint _peerMaxPduLength;
    private long _associationBytes;

    public ServerAssociation(DicomServerOptions options, IStoreHandler handler, ILogger logger, TimeProvider time, long id,
        EndPoint? remote, Func<int> otherAssociations)
    {
        _options = options;
        _handler = handler;
        _logger = logger;
        _time = time;
        _id = id;
        _remote = remote;
        _otherAssociations = otherAssociations;
    }

    public AssociationState State => _machine.State;

    public async Task RunAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var channel = new AssociationChannel(stream, _options.MaxPduLength, _time);
        _machine.Fire(AssociationEvent.Evt5); // AE-5: connection accepted, ARTIM started.
        try
        {
            if (await EstablishAsync(channel, cancellationToken))
            {
                await TransferAsync(channel, cancellationToken);
            }
        }
        catch (DicomProtocolException ex)
        {
            await AbortAsync(channel, AssociationEvent.Evt19, ex.AbortReason, ex.Message, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
            FireTransportClosed();
            Log.Closed(_logger, _id, "transport closed: " + ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping: tell the peer (best effort) rather than vanish.
            await TrySendAsync(channel, new AbortPdu(AbortSource.ServiceProvider, AbortReason.NotSpecified));
            Log.Closed(_logger, _id, "server stopping");
        }
        finally
        {
            if (_incoming is { } incoming)
            {
                await incoming.FailAsync("association ended inside a data set");
            }
        }
    }

    private async Task<bool> EstablishAsync(AssociationChannel channel, CancellationToken cancellationToken)
    {
        ReceivedPdu? received;
        try
        {
            received = await channel.ReadAsync(_options.ArtimTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _machine.Fire(AssociationEvent.Evt18); // AA-2: close.
            Log.Closed(_logger, _id, "ARTIM expired before A-ASSOCIATE-RQ");
            return false;
        }

        if (received is not { } pdu)
        {
            _machine.Fire(AssociationEvent.Evt17);
            Log.Closed(_logger, _id, "closed before A-ASSOCIATE-RQ");
            return false;
        }

        if (_machine.Fire(AssociationStateMachine.EventFor(pdu.Type)) != AssociationAction.Ae6)
        {
            // AA-1 in Sta2: anything but an A-ASSOCIATE-RQ. State is now Sta13.
            await SendAbortAndCloseAsync(channel, AbortReason.UnexpectedPdu, $"{pdu.Type} PDU before A-ASSOCIATE-RQ", cancellationToken);
            return false;
        }

        var rq = (AssociateRequestPdu)pdu.Decode();
        var negotiation = PresentationContextNegotiator.Negotiate(rq.PresentationContexts, rq.UserInformation.RoleSelections,
            _options.Negotiation);
        var decision = AssociationPolicy.Evaluate(new AssociationRequestFacts
        {
            CalledAeTitle = rq.CalledAeTitle,
            CallingAeTitle = rq.CallingAeTitle,
            RemoteAddress = (_remote as IPEndPoint)?.Address ?? IPAddress.None,
            ProtocolVersion = rq.ProtocolVersion,
            ApplicationContextName = rq.ApplicationContextName,
            ActiveAssociations = _otherAssociations(),
            AcceptedContexts = negotiation.AcceptedCount,
            DiskPressure = _options.DiskPressure?.Invoke() ?? false,
        }, _options.Policy);

        if (!decision.IsAccepted)
        {
            _machine.Fire(AssociationEvent.Evt8); // AE-8: send RJ, start ARTIM, Sta13.
            await channel.SendAsync(decision.ToPdu(), cancellationToken);
            Log.Rejected(_logger, _id, rq.CallingAeTitle, _remote, decision.Explanation);
            await channel.AwaitCloseAsync(_options.ArtimTimeout, cancellationToken);
            return false;
        }

        _machine.Fire(AssociationEvent.Evt7); // AE-7: send AC, Sta6.
        _peerMaxPduLength = rq.UserInformation.MaxPduLength;
        foreach (var pc in negotiation.Contexts.Where(c => c.IsAccepted))
        {
            _accepted[pc.Id] = pc;
        }

        foreach (var pc in rq.PresentationContexts)
        {
            _abstractSyntaxes[pc.Id] = pc.AbstractSyntax;
        }

        _info = new AssociationInfo(_id, rq.CallingAeTitle, rq.CalledAeTitle, _remote);
        await channel.SendAsync(new AssociateAcceptPdu
        {
            CalledAeTitle = rq.CalledAeTitle,
            CallingAeTitle = rq.CallingAeTitle,
            PresentationContexts = negotiation.Contexts,
            UserInformation = new UserInformation
            {
                MaxPduLength = _options.MaxPduLength,
                ImplementationClassUid = DicomUids.ImplementationClassUid,
                ImplementationVersionName = DicomUids.ImplementationVersionName,
                RoleSelections = negotiation.RoleSelections,
            },
        }, cancellationToken);
        Log.Accepted(_logger, _id, rq.CallingAeTitle, _remote, rq.CalledAeTitle, negotiation.AcceptedCount, rq.PresentationContexts.Count);
        return true;
    }

    private async Task TransferAsync(AssociationChannel channel, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReceivedPdu? received;
            try
            {
                received = await channel.ReadAsync(_options.IdleTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                await AbortAsync(channel, AssociationEvent.Evt15, AbortReason.NotSpecified, $"idle for {_options.IdleTimeout}", cancellationToken);
                return;
            }

            if (received is not { } pdu)
            {
                FireTransportClosed();
                Log.Closed(_logger, _id, "peer closed the connection without release");
                return;
            }

            switch (_machine.Fire(AssociationStateMachine.EventFor(pdu.Type)))
            {
                case AssociationAction.Dt2:
                    await OnPDataAsync(channel, pdu.Body, cancellationToken);
                    break;
                case AssociationAction.Ar2:
                    if (_incoming is not null)
                    {
                        throw new DicomProtocolException("A-RELEASE-RQ inside a data set", AbortReason.UnexpectedPdu);
                    }

                    _machine.Fire(AssociationEvent.Evt14); // AR-4: send RP, start ARTIM, Sta13.
                    await channel.SendAsync(ReleaseResponsePdu.Instance, cancellationToken);
                    Log.Released(_logger, _id);
                    await channel.AwaitCloseAsync(_options.ArtimTimeout, cancellationToken);
                    return;
                case AssociationAction.Aa3:
                    var abort = (AbortPdu)pdu.Decode();
                    Log.AbortReceived(_logger, _id, abort.Source, abort.Reason);
                    return;
                default:
                    // AA-8: an A-ASSOCIATE or A-RELEASE-RP PDU in Sta6. The machine is already in Sta13.
                    await SendAbortAndCloseAsync(channel, AbortReason.UnexpectedPdu, $"unexpected {pdu.Type} PDU", cancellationToken);
                    return;
            }
        }
    }

    private async Task OnPDataAsync(AssociationChannel channel, ReadOnlySequence<byte> body, CancellationToken cancellationToken)
    {
        _fragments.Clear();
        PDataTfPdu.ReadFragments(body, _fragments);
        foreach (var fragment in _fragments)
        {
            if (!_accepted.ContainsKey(fragment.ContextId))
            {
                throw new DicomProtocolException($"PDV on presentation context {fragment.ContextId}, which was not accepted");
            }

            if (fragment.IsCommand)
            {
                if (_incoming is not null)
                {
                    throw new DicomProtocolException("command fragment inside a data set", AbortReason.UnexpectedPduParameter);
                }

                if (_command.WrittenCount + fragment.Data.Length > DimseCommand.MaxEncodedLength)
                {
                    throw new DicomProtocolException("command set longer than 64 KiB");
                }

                fragment.Data.CopyTo(_command.GetSpan((int)fragment.Data.Length));
                _command.Advance((int)fragment.Data.Length);
                if (fragment.IsLast)
                {
                    var command = DimseCommand.Decode(_command.WrittenSpan);
                    _command.Clear();
                    await OnCommandAsync(channel, command, fragment.ContextId, cancellationToken);
                }
            }
            else
            {
                if (_incoming is null || _incoming.ContextId != fragment.ContextId)
                {
                    throw new DicomProtocolException("data set fragment without a matching command", AbortReason.UnexpectedPduParameter);
                }

                await _incoming.WriteAsync(fragment.Data, cancellationToken);
                if (fragment.IsLast)
                {
                    await CompleteDataSetAsync(channel, cancellationToken);
                }
            }
        }
    }

    private async Task OnCommandAsync(AssociationChannel channel, DimseCommand command, byte contextId, CancellationToken cancellationToken)
    {
        var context = _accepted[contextId];
        switch (command.CommandField)
        {
            case CommandField.CEchoRequest:
                await SendCommandAsync(channel, contextId, DimseCommand.EchoResponse(command, DimseStatus.Success), cancellationToken);
                if (command.HasDataSet)
                {
                    _incoming = new IncomingDataSet(command, contextId, StoreResult.Success, 0, _logger, null);
                }

                break;
            case CommandField.CStoreRequest when command.HasDataSet:
                StoreResult? refused = null;
                if (command.AffectedSopClassUid != _abstractSyntaxes[contextId])
                {
                    refused = new StoreResult(DimseStatus.SopClassNotSupported,
                        $"SOP class {command.AffectedSopClassUid} sent on the context for {_abstractSyntaxes[contextId]}");
                }
                else if (_associationBytes > _options.MaxAssociationBytes)
                {
                    refused = new StoreResult(DimseStatus.OutOfResources, "association byte limit reached");
                }

                var request = new StoreRequest(command, context.TransferSyntax, _info!);
                _incoming = new IncomingDataSet(command, contextId, refused, _options.MaxDataSetBytes, _logger,
                    stream => _handler.StoreAsync(request, stream, cancellationToken).AsTask());
                break;
            default:
                // PS3.7 Annex C: 0211 unrecognised operation; the response carries the request's field with bit 15 set.
                var response = new DimseCommand
                {
                    CommandField = (CommandField)((ushort)command.CommandField | 0x8000),
                    AffectedSopClassUid = command.AffectedSopClassUid,
                    MessageIdBeingRespondedTo = command.MessageId,
                    Status = command.CommandField == CommandField.CStoreRequest ? DimseStatus.CannotUnderstand : DimseStatus.UnrecognizedOperation,
                    AffectedSopInstanceUid = command.AffectedSopInstanceUid,
                };
                await SendCommandAsync(channel, contextId, response, cancellationToken);
                if (command.HasDataSet)
                {
                    _incoming = new IncomingDataSet(command, contextId, StoreResult.Success, 0, _logger, null);
                }

                break;
        }
    }

    private async Task CompleteDataSetAsync(AssociationChannel channel, CancellationToken cancellationToken)
    {
        var incoming = _incoming!;
        _incoming = null;
        var result = await incoming.CompleteAsync(_id);
        _associationBytes += incoming.Bytes;
        if (incoming.Command.CommandField != CommandField.CStoreRequest)
        {
            return; // Already answered when the command arrived.
        }

        Log.Stored(_logger, _id, incoming.Command.AffectedSopInstanceUid, incoming.Bytes, result.Status);
        await SendCommandAsync(channel, incoming.ContextId, DimseCommand.StoreResponse(incoming.Command, result.Status, result.ErrorComment),
            cancellationToken);
    }

    private async Task SendCommandAsync(AssociationChannel channel, byte contextId, DimseCommand command, CancellationToken cancellationToken)
    {
        _machine.Fire(AssociationEvent.Evt9); // DT-1.
        await PDataSender.SendAsync(channel.Output, contextId, isCommand: true, command.Encode(), _peerMaxPduLength, cancellationToken);
    }

    private async Task AbortAsync(AssociationChannel channel, AssociationEvent evt, AbortReason reason, string message,
        CancellationToken cancellationToken)
    {
        if (_machine.State is AssociationState.Sta1 or AssociationState.Sta13)
        {
            return;
        }

        _machine.Fire(evt); // AA-1 / AA-8: send A-ABORT, start ARTIM, Sta13.
        await SendAbortAndCloseAsync(channel, reason, message, cancellationToken);
    }

    /// <summary>
    /// Sends a service-provider A-ABORT with the reason (also for AA-1, so that the peer learns why) and waits in
    /// Sta13 for the peer to close, at most ARTIM.
    /// </summary>
    private async Task SendAbortAndCloseAsync(AssociationChannel channel, AbortReason reason, string message, CancellationToken cancellationToken)
    {
        Log.AbortSent(_logger, _id, reason, message);
        if (await TrySendAsync(channel, new AbortPdu(AbortSource.ServiceProvider, reason)))
        {
            await channel.AwaitCloseAsync(_options.ArtimTimeout, cancellationToken);
        }
    }

    private static async Task<bool> TrySendAsync(AssociationChannel channel, IPdu pdu)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await channel.SendAsync(pdu, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void FireTransportClosed()
    {
        if (_machine.State != AssociationState.Sta1)
        {
            _machine.Fire(AssociationEvent.Evt17);
        }
    }
}
