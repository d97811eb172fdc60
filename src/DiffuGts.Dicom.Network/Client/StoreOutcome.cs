namespace DiffuGts.Dicom.Network.Client;

/// <summary>What happened to one instance in a send.</summary>
public enum StoreOutcome
{
    /// <summary>C-STORE-RSP success (0000).</summary>
    Stored,

    /// <summary>C-STORE-RSP warning (Bxxx): stored.</summary>
    StoredWithWarning,

    /// <summary>C-STORE-RSP failure status (A7xx, A9xx, Cxxx, 01xx, 02xx).</summary>
    Failed,

    /// <summary>The peer accepted no presentation context for this SOP class and transfer syntax.</summary>
    NoPresentationContext,

    /// <summary>The file could not be read.</summary>
    Unreadable,

    /// <summary>The association ended (abort, connection loss) before this instance was answered.</summary>
    NotSent,
}
