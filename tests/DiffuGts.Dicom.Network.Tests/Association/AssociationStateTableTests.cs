using DiffuGts.Dicom.Network.Association;
using DiffuGts.Dicom.Network.Pdus;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Association;

/// <summary>The state table checked cell by cell against PS3.8 Table 9-10 as the standard prints it.</summary>
public sealed class AssociationStateTableTests
{
    // One row per event, one column per state Sta1..Sta13; "." is an empty cell. Transcribed from PS3.8 Table 9-10.
    private static readonly string[] PrintedTable =
    [
        /* Evt1  */ "AE-1 . . . . . . . . . . . .",
        /* Evt2  */ ". . . AE-2 . . . . . . . . .",
        /* Evt3  */ ". AA-1 AA-8 . AE-3 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-6",
        /* Evt4  */ ". AA-1 AA-8 . AE-4 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-6",
        /* Evt5  */ "AE-5 . . . . . . . . . . . .",
        /* Evt6  */ ". AE-6 AA-8 . AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-7",
        /* Evt7  */ ". . AE-7 . . . . . . . . . .",
        /* Evt8  */ ". . AE-8 . . . . . . . . . .",
        /* Evt9  */ ". . . . . DT-1 . AR-7 . . . . .",
        /* Evt10 */ ". AA-1 AA-8 . AA-8 DT-2 AR-6 AA-8 AA-8 AA-8 AA-8 AA-8 AA-6",
        /* Evt11 */ ". . . . . AR-1 . . . . . . .",
        /* Evt12 */ ". AA-1 AA-8 . AA-8 AR-2 AR-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-6",
        /* Evt13 */ ". AA-1 AA-8 . AA-8 AA-8 AR-3 AA-8 AA-8 AR-10 AR-3 AA-8 AA-6",
        /* Evt14 */ ". . . . . . . AR-4 AR-9 . . AR-4 .",
        /* Evt15 */ ". . AA-1 AA-2 AA-1 AA-1 AA-1 AA-1 AA-1 AA-1 AA-1 AA-1 .",
        /* Evt16 */ ". AA-2 AA-3 . AA-3 AA-3 AA-3 AA-3 AA-3 AA-3 AA-3 AA-3 AA-2",
        /* Evt17 */ ". AA-5 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AR-5",
        /* Evt18 */ ". AA-2 . . . . . . . . . . AA-2",
        /* Evt19 */ ". AA-1 AA-8 . AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-7",
    ];

    public static TheoryData<int, int, string> Cells()
    {
        var data = new TheoryData<int, int, string>();
        for (var e = 0; e < PrintedTable.Length; e++)
        {
            var cells = PrintedTable[e].Split(' ');
            for (var s = 0; s < cells.Length; s++)
            {
                data.Add(e + 1, s + 1, cells[s]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Lookup_EveryCell_MatchesPs38Table910(int evt, int state, string expected)
    {
        var action = AssociationStateTable.Lookup((AssociationState)state, (AssociationEvent)evt);

        var printed = action is null ? "." : Printed(action.Value);
        Assert.Equal(expected, printed);
    }

    [Theory]
    [InlineData(AssociationAction.Ae6, true, false, AssociationState.Sta3)]
    [InlineData(AssociationAction.Ae6, false, false, AssociationState.Sta13)]
    [InlineData(AssociationAction.Ar8, true, true, AssociationState.Sta9)]
    [InlineData(AssociationAction.Ar8, true, false, AssociationState.Sta10)]
    [InlineData(AssociationAction.Ar4, true, false, AssociationState.Sta13)]
    [InlineData(AssociationAction.Aa8, true, false, AssociationState.Sta13)]
    [InlineData(AssociationAction.Aa2, true, false, AssociationState.Sta1)]
    public void NextState_ConditionalActions_FollowTables96To99(AssociationAction action, bool acceptable, bool requestor, AssociationState expected) =>
        Assert.Equal(expected, AssociationStateTable.NextState(action, acceptable, requestor));

    [Fact]
    public void Fire_AcceptorHappyPath_WalksSta2Sta3Sta6Sta8Sta13Sta1()
    {
        var machine = new AssociationStateMachine(isRequestor: false);

        Assert.Equal(AssociationAction.Ae5, machine.Fire(AssociationEvent.Evt5));
        Assert.Equal(AssociationAction.Ae6, machine.Fire(AssociationEvent.Evt6));
        Assert.Equal(AssociationAction.Ae7, machine.Fire(AssociationEvent.Evt7));
        Assert.Equal(AssociationAction.Dt2, machine.Fire(AssociationEvent.Evt10));
        Assert.Equal(AssociationAction.Ar2, machine.Fire(AssociationEvent.Evt12));
        Assert.Equal(AssociationAction.Ar4, machine.Fire(AssociationEvent.Evt14));
        Assert.Equal(AssociationState.Sta13, machine.State);
        Assert.Equal(AssociationAction.Ar5, machine.Fire(AssociationEvent.Evt17));
        Assert.Equal(AssociationState.Sta1, machine.State);
    }

    [Fact]
    public void Fire_ReleaseCollisionAsRequestor_Sta7Sta9Sta11Sta1()
    {
        var machine = new AssociationStateMachine(isRequestor: true);
        machine.Fire(AssociationEvent.Evt1);
        machine.Fire(AssociationEvent.Evt2);
        machine.Fire(AssociationEvent.Evt3);
        machine.Fire(AssociationEvent.Evt11);

        Assert.Equal(AssociationAction.Ar8, machine.Fire(AssociationEvent.Evt12));
        Assert.Equal(AssociationState.Sta9, machine.State);
        Assert.Equal(AssociationAction.Ar9, machine.Fire(AssociationEvent.Evt14));
        Assert.Equal(AssociationAction.Ar3, machine.Fire(AssociationEvent.Evt13));
        Assert.Equal(AssociationState.Sta1, machine.State);
    }

    [Fact]
    public void Fire_PDataBeforeAssociation_ProviderAbortAndArtim()
    {
        var machine = new AssociationStateMachine(isRequestor: false);
        machine.Fire(AssociationEvent.Evt5);

        Assert.Equal(AssociationAction.Aa1, machine.Fire(AssociationStateMachine.EventFor(PduType.PData)));
        Assert.Equal(AssociationState.Sta13, machine.State);
        Assert.Equal(AssociationAction.Aa2, machine.Fire(AssociationEvent.Evt18));
    }

    [Fact]
    public void Fire_LocalPrimitiveInWrongState_Throws()
    {
        var machine = new AssociationStateMachine(isRequestor: false);

        Assert.Throws<InvalidOperationException>(() => machine.Fire(AssociationEvent.Evt9));
    }

    private static string Printed(AssociationAction action)
    {
        var name = action.ToString().ToUpperInvariant();
        var digits = name.AsSpan().IndexOfAnyInRange('0', '9');
        return name[..digits] + "-" + name[digits..];
    }
}
