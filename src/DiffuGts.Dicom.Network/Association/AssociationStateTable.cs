using static DiffuGts.Dicom.Network.Association.AssociationAction;
using static DiffuGts.Dicom.Network.Association.AssociationEvent;
using static DiffuGts.Dicom.Network.Association.AssociationState;

namespace DiffuGts.Dicom.Network.Association;

/// <summary>
/// The DICOM upper-layer state transition table (PS3.8 §9.2.3, Table 9-10) as data: which action an event triggers in a
/// state. Empty cells of the standard's table are absent here (the caller treats them as a local error or, for a PDU,
/// as AA-8). Next states follow from the action (PS3.8 Tables 9-6 to 9-9).
/// </summary>
public static class AssociationStateTable
{
    private static readonly AssociationState[] Sta6To12 = [Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12];
    private static readonly AssociationState[] Sta5To12 = [Sta5, .. Sta6To12];

    private static readonly Dictionary<(AssociationState, AssociationEvent), AssociationAction> Table = Build();

    /// <summary>The action for an event in a state, or null for an empty cell.</summary>
    public static AssociationAction? Lookup(AssociationState state, AssociationEvent evt) =>
        Table.TryGetValue((state, evt), out var action) ? action : null;

    /// <summary>
    /// The next state after an action. <paramref name="acceptable"/> chooses AE-6's branch (PS3.8 Table 9-7);
    /// <paramref name="isRequestor"/> chooses AR-8's branch (Table 9-8).
    /// </summary>
    public static AssociationState NextState(AssociationAction action, bool acceptable = true, bool isRequestor = false) => action switch
    {
        Ae1 => Sta4,
        Ae2 => Sta5,
        Ae3 => Sta6,
        Ae4 => Sta1,
        Ae5 => Sta2,
        Ae6 => acceptable ? Sta3 : Sta13,
        Ae7 => Sta6,
        Ae8 => Sta13,
        Dt1 or Dt2 => Sta6,
        Ar1 => Sta7,
        Ar2 => Sta8,
        Ar3 => Sta1,
        Ar4 => Sta13,
        Ar5 => Sta1,
        Ar6 => Sta7,
        Ar7 => Sta8,
        Ar8 => isRequestor ? Sta9 : Sta10,
        Ar9 => Sta11,
        Ar10 => Sta12,
        Aa1 => Sta13,
        Aa2 or Aa3 or Aa4 or Aa5 => Sta1,
        Aa6 or Aa7 or Aa8 => Sta13,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static Dictionary<(AssociationState, AssociationEvent), AssociationAction> Build()
    {
        var t = new Dictionary<(AssociationState, AssociationEvent), AssociationAction>();

        void Set(AssociationEvent evt, AssociationAction action, params AssociationState[] states)
        {
            foreach (var s in states)
            {
                t.Add((s, evt), action);
            }
        }

        // Association establishment.
        Set(Evt1, Ae1, Sta1);
        Set(Evt2, Ae2, Sta4);
        Set(Evt3, Aa1, Sta2);
        Set(Evt3, Aa8, Sta3);
        Set(Evt3, Ae3, Sta5);
        Set(Evt3, Aa8, Sta6To12);
        Set(Evt3, Aa6, Sta13);
        Set(Evt4, Aa1, Sta2);
        Set(Evt4, Aa8, Sta3);
        Set(Evt4, Ae4, Sta5);
        Set(Evt4, Aa8, Sta6To12);
        Set(Evt4, Aa6, Sta13);
        Set(Evt5, Ae5, Sta1);
        Set(Evt6, Ae6, Sta2);
        Set(Evt6, Aa8, Sta3);
        Set(Evt6, Aa8, Sta5To12);
        Set(Evt6, Aa7, Sta13);
        Set(Evt7, Ae7, Sta3);
        Set(Evt8, Ae8, Sta3);

        // Data transfer.
        Set(Evt9, Dt1, Sta6);
        Set(Evt9, Ar7, Sta8);
        Set(Evt10, Aa1, Sta2);
        Set(Evt10, Aa8, Sta3, Sta5);
        Set(Evt10, Dt2, Sta6);
        Set(Evt10, Ar6, Sta7);
        Set(Evt10, Aa8, Sta8, Sta9, Sta10, Sta11, Sta12);
        Set(Evt10, Aa6, Sta13);

        // Release, including collision (AR-8 to AR-10).
        Set(Evt11, Ar1, Sta6);
        Set(Evt12, Aa1, Sta2);
        Set(Evt12, Aa8, Sta3, Sta5);
        Set(Evt12, Ar2, Sta6);
        Set(Evt12, Ar8, Sta7);
        Set(Evt12, Aa8, Sta8, Sta9, Sta10, Sta11, Sta12);
        Set(Evt12, Aa6, Sta13);
        Set(Evt13, Aa1, Sta2);
        Set(Evt13, Aa8, Sta3, Sta5, Sta6);
        Set(Evt13, Ar3, Sta7);
        Set(Evt13, Aa8, Sta8, Sta9);
        Set(Evt13, Ar10, Sta10);
        Set(Evt13, Ar3, Sta11);
        Set(Evt13, Aa8, Sta12);
        Set(Evt13, Aa6, Sta13);
        Set(Evt14, Ar4, Sta8);
        Set(Evt14, Ar9, Sta9);
        Set(Evt14, Ar4, Sta12);

        // Abort and transport events.
        Set(Evt15, Aa1, Sta3);
        Set(Evt15, Aa2, Sta4);
        Set(Evt15, Aa1, Sta5To12);
        Set(Evt16, Aa2, Sta2);
        Set(Evt16, Aa3, Sta3);
        Set(Evt16, Aa3, Sta5To12);
        Set(Evt16, Aa2, Sta13);
        Set(Evt17, Aa5, Sta2);
        Set(Evt17, Aa4, Sta3, Sta4);
        Set(Evt17, Aa4, Sta5To12);
        Set(Evt17, Ar5, Sta13);
        Set(Evt18, Aa2, Sta2, Sta13);
        Set(Evt19, Aa1, Sta2);
        Set(Evt19, Aa8, Sta3);
        Set(Evt19, Aa8, Sta5To12);
        Set(Evt19, Aa7, Sta13);
        return t;
    }
}
