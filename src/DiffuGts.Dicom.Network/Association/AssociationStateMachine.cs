namespace DiffuGts.Dicom.Network.Association;

/// <summary>
/// One association's position in the PS3.8 state machine. The association code fires an event for everything that
/// happens (a PDU arrives, the user asks for something, ARTIM expires) and performs the action this returns, so the
/// state table decides what a PDU in the wrong state means (for example AA-8: provider abort).
/// </summary>
public sealed class AssociationStateMachine
{
    public AssociationStateMachine(bool isRequestor)
    {
        IsRequestor = isRequestor;
    }

    public bool IsRequestor { get; }

    public AssociationState State { get; private set; } = AssociationState.Sta1;

    /// <summary>
    /// Applies an event. A PDU event (Evt3, 4, 6, 10, 12, 13, 16, 19) in an empty cell is treated as an unexpected PDU
    /// (AA-8); a local event in an empty cell is a programming error.
    /// </summary>
    public AssociationAction Fire(AssociationEvent evt, bool acceptable = true)
    {
        var action = AssociationStateTable.Lookup(State, evt);
        if (action is null)
        {
            if (evt is AssociationEvent.Evt17 or AssociationEvent.Evt18 && State == AssociationState.Sta1)
            {
                return AssociationAction.Aa5;
            }

            if (!IsPduEvent(evt))
            {
                throw new InvalidOperationException($"{evt} is not valid in {State} (PS3.8 Table 9-10)");
            }

            action = AssociationAction.Aa8;
        }

        State = AssociationStateTable.NextState(action.Value, acceptable, IsRequestor);
        return action.Value;
    }

    private static bool IsPduEvent(AssociationEvent evt) => evt is AssociationEvent.Evt3 or AssociationEvent.Evt4 or AssociationEvent.Evt6
        or AssociationEvent.Evt10 or AssociationEvent.Evt12 or AssociationEvent.Evt13 or AssociationEvent.Evt16 or AssociationEvent.Evt19;

    /// <summary>Maps a received PDU type to its event.</summary>
    public static AssociationEvent EventFor(Pdus.PduType type) => type switch
    {
        Pdus.PduType.AssociateRequest => AssociationEvent.Evt6,
        Pdus.PduType.AssociateAccept => AssociationEvent.Evt3,
        Pdus.PduType.AssociateReject => AssociationEvent.Evt4,
        Pdus.PduType.PData => AssociationEvent.Evt10,
        Pdus.PduType.ReleaseRequest => AssociationEvent.Evt12,
        Pdus.PduType.ReleaseResponse => AssociationEvent.Evt13,
        Pdus.PduType.Abort => AssociationEvent.Evt16,
        _ => AssociationEvent.Evt19,
    };
}
