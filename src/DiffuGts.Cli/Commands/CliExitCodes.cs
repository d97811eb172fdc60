namespace DiffuGts.Cli.Commands;

/// <summary>Exit codes of <c>diffugts echo</c> and <c>diffugts send</c> (documented in docs/conformance-statement.md).</summary>
internal static class CliExitCodes
{
    /// <summary>Echo answered Success; every instance stored (success or warning).</summary>
    public const int Success = 0;

    /// <summary>Some instances were not stored (DIMSE failure status, no presentation context, unreadable file), or echo status was not Success.</summary>
    public const int PartialFailure = 1;

    /// <summary>No TCP/TLS connection (refused, timed out, reset): worth retrying later.</summary>
    public const int ConnectionFailure = 2;

    /// <summary>A-ASSOCIATE-RJ (the message says transient or permanent).</summary>
    public const int AssociationRejected = 3;

    /// <summary>The association was aborted (A-ABORT or timeout) before every instance was answered.</summary>
    public const int AssociationAborted = 4;

    /// <summary>No DICOM file found in the given paths.</summary>
    public const int NothingToSend = 5;
}
