namespace DiffuGts.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE command set (PS3.7 §6.3 and §9.3): the group-0000 elements used by C-ECHO and C-STORE. The command set is a
/// closed, fixed list of elements always encoded in Implicit VR Little Endian, so it has its own small codec
/// (<c>DimseCommand.Encoding.cs</c>) rather than the general dataset model. Null fields are not sent.
/// </summary>
public sealed partial record DimseCommand
{
    /// <summary>(0000,0800) value meaning "no data set follows" (PS3.7 §9.3.1.1).</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>(0000,0800) value we send when a data set follows (any other value means one does).</summary>
    public const ushort DataSetPresent = 0x0001;

    public required CommandField CommandField { get; init; }

    public string? AffectedSopClassUid { get; init; }

    public ushort? MessageId { get; init; }

    public ushort? MessageIdBeingRespondedTo { get; init; }

    public string? MoveDestination { get; init; }

    public DimsePriority? Priority { get; init; }

    public ushort CommandDataSetType { get; init; } = NoDataSet;

    public DimseStatus? Status { get; init; }

    /// <summary>(0000,0901) Offending Element: tags as (group &lt;&lt; 16 | element).</summary>
    public IReadOnlyList<uint>? OffendingElements { get; init; }

    public string? ErrorComment { get; init; }

    public string? AffectedSopInstanceUid { get; init; }

    /// <summary>(0000,1030) Move Originator AE title: present when the C-STORE is a C-MOVE sub-operation.</summary>
    public string? MoveOriginatorAeTitle { get; init; }

    /// <summary>(0000,1031) Move Originator Message ID.</summary>
    public ushort? MoveOriginatorMessageId { get; init; }

    public bool HasDataSet => CommandDataSetType != NoDataSet;

    /// <summary>C-ECHO-RQ (PS3.7 §9.3.5.1).</summary>
    public static DimseCommand EchoRequest(ushort messageId) => new()
    {
        CommandField = CommandField.CEchoRequest,
        AffectedSopClassUid = Negotiation.SopClassUids.Verification,
        MessageId = messageId,
    };

    /// <summary>C-ECHO-RSP (PS3.7 §9.3.5.2).</summary>
    public static DimseCommand EchoResponse(DimseCommand request, DimseStatus status)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new()
        {
            CommandField = CommandField.CEchoResponse,
            AffectedSopClassUid = request.AffectedSopClassUid ?? Negotiation.SopClassUids.Verification,
            MessageIdBeingRespondedTo = request.MessageId,
            Status = status,
        };
    }

    /// <summary>C-STORE-RQ (PS3.7 §9.3.1.1); a data set follows.</summary>
    public static DimseCommand StoreRequest(ushort messageId, string sopClassUid, string sopInstanceUid,
        DimsePriority priority = DimsePriority.Medium, string? moveOriginatorAeTitle = null, ushort? moveOriginatorMessageId = null) => new()
    {
        CommandField = CommandField.CStoreRequest,
        AffectedSopClassUid = sopClassUid,
        MessageId = messageId,
        Priority = priority,
        CommandDataSetType = DataSetPresent,
        AffectedSopInstanceUid = sopInstanceUid,
        MoveOriginatorAeTitle = moveOriginatorAeTitle,
        MoveOriginatorMessageId = moveOriginatorMessageId,
    };

    /// <summary>C-STORE-RSP (PS3.7 §9.3.1.2): echoes the request's class and instance UIDs.</summary>
    public static DimseCommand StoreResponse(DimseCommand request, DimseStatus status, string? errorComment = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new()
        {
            CommandField = CommandField.CStoreResponse,
            AffectedSopClassUid = request.AffectedSopClassUid,
            MessageIdBeingRespondedTo = request.MessageId,
            Status = status,
            ErrorComment = errorComment,
            AffectedSopInstanceUid = request.AffectedSopInstanceUid,
        };
    }
}
