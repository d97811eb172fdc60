using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Negotiation;
using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Client;

/// <summary>
/// C-STORE SCU: sends a set of instances over one association. Per SOP class it proposes the files' own transfer
/// syntax and, for native (uncompressed) files, a second context [Explicit VR LE, Implicit VR LE] so that a peer that
/// refuses the file's syntax can still take it (dicom-facts §2.8, fo-dicom's two-context approach). An instance goes on
/// the context of its own syntax when accepted (streamed from disk unchanged), else on the native fallback (transcoded);
/// otherwise it is reported as having no presentation context, and the others still go.
/// </summary>
public sealed class StoreScu
{
    /// <summary>PS3.8 Table 9-13: odd IDs 1-255, so at most 128 contexts.</summary>
    public const int MaxPresentationContexts = 128;

    private readonly DicomClientOptions _options;
    private readonly TimeProvider _time;

    public StoreScu(DicomClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    public static IReadOnlyList<PresentationContextRequest> ProposeContexts(IEnumerable<StoreInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var contexts = new List<PresentationContextRequest>();
        var seen = new HashSet<(string, string)>();
        foreach (var instance in instances)
        {
            var native = IsNative(instance.TransferSyntaxUid);
            if (seen.Add((instance.SopClassUid, instance.TransferSyntaxUid)))
            {
                contexts.Add(new PresentationContextRequest(0, instance.SopClassUid, [instance.TransferSyntaxUid]));
            }

            if (native && seen.Add((instance.SopClassUid, "")))
            {
                contexts.Add(new PresentationContextRequest(0, instance.SopClassUid,
                    [TransferSyntaxUids.ExplicitVrLittleEndian, TransferSyntaxUids.ImplicitVrLittleEndian]));
            }
        }

        if (contexts.Count > MaxPresentationContexts)
        {
            throw new ArgumentException(
                $"{contexts.Count} presentation contexts needed, more than the {MaxPresentationContexts} one association can carry", nameof(instances));
        }

        return [.. contexts.Select((c, i) => c with { Id = (byte)(2 * i + 1) })];
    }

    /// <summary>Sends every instance in one association and releases it.</summary>
    /// <exception cref="DicomConnectionException">No connection could be made.</exception>
    /// <exception cref="AssociationRejectedException">The peer rejected the association.</exception>
    public async Task<StoreReport> SendAsync(IReadOnlyList<StoreInstance> instances, IProgress<InstanceStoreResult>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var results = new List<InstanceStoreResult>(instances.Count);
        if (instances.Count == 0)
        {
            return new StoreReport(results, null);
        }

        var contexts = ProposeContexts(instances);
        await using var association = await DicomClientAssociation.OpenAsync(_options, contexts, _time, cancellationToken);
        Exception? failure = null;
        foreach (var instance in instances)
        {
            InstanceStoreResult result;
            if (failure is not null)
            {
                result = new InstanceStoreResult(instance.Path, instance.SopInstanceUid, StoreOutcome.NotSent, null, failure.Message);
            }
            else
            {
                try
                {
                    result = await SendOneAsync(association, instance, cancellationToken);
                }
                catch (Exception ex) when (ex is DicomConnectionException or AssociationAbortedException or DicomProtocolException)
                {
                    failure = ex;
                    result = new InstanceStoreResult(instance.Path, instance.SopInstanceUid, StoreOutcome.NotSent, null, ex.Message);
                }
            }

            results.Add(result);
            progress?.Report(result);
        }

        if (failure is null)
        {
            try
            {
                await association.ReleaseAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is DicomConnectionException or AssociationAbortedException)
            {
                // Every instance was answered; a failed release does not undo that.
            }
        }

        return new StoreReport(results, failure);
    }

    private static async Task<InstanceStoreResult> SendOneAsync(DicomClientAssociation association, StoreInstance instance,
        CancellationToken cancellationToken)
    {
        var syntax = instance.TransferSyntaxUid;
        var context = association.FindContext(instance.SopClassUid, syntax);
        if (context is null && IsNative(instance.TransferSyntaxUid))
        {
            foreach (var fallback in new[] { TransferSyntaxUids.ExplicitVrLittleEndian, TransferSyntaxUids.ImplicitVrLittleEndian })
            {
                context = association.FindContext(instance.SopClassUid, fallback);
                if (context is not null)
                {
                    syntax = fallback;
                    break;
                }
            }
        }

        if (context is null)
        {
            return new InstanceStoreResult(instance.Path, instance.SopInstanceUid, StoreOutcome.NoPresentationContext, null,
                $"the peer accepted no presentation context for {instance.SopClassUid} in {instance.TransferSyntaxUid}");
        }

        await using var dataSet = TryOpen(instance, syntax, out var error);
        if (dataSet is null)
        {
            return new InstanceStoreResult(instance.Path, instance.SopInstanceUid, StoreOutcome.Unreadable, null, error);
        }

        var request = DimseCommand.StoreRequest(association.NextMessageId(), instance.SopClassUid, instance.SopInstanceUid);
        var response = await association.SendAsync(context.Value, request, dataSet, cancellationToken);
        var status = response.Status ?? DimseStatus.ProcessingFailure;
        var outcome = status.Category switch
        {
            StatusCategory.Success => StoreOutcome.Stored,
            StatusCategory.Warning => StoreOutcome.StoredWithWarning,
            _ => StoreOutcome.Failed,
        };
        return new InstanceStoreResult(instance.Path, instance.SopInstanceUid, outcome, status, response.ErrorComment);
    }

    private static Stream? TryOpen(StoreInstance instance, string syntax, out string? error)
    {
        try
        {
            error = null;
            return instance.OpenDataSet(syntax);
        }
        catch (Exception ex) when (ex is IOException or DicomFormatException or UnauthorizedAccessException)
        {
            error = ex.Message;
            return null;
        }
    }

    private static bool IsNative(string uid) =>
        uid is TransferSyntaxUids.ExplicitVrLittleEndian or TransferSyntaxUids.ImplicitVrLittleEndian
            or TransferSyntaxUids.ExplicitVrBigEndian or TransferSyntaxUids.DeflatedExplicitVrLittleEndian;
}
