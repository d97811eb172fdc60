namespace DiffuGts.Dicom.IO;

/// <summary>Conformance policy of the reader, as System.Formats.Cbor's strict and lax modes.</summary>
public enum DicomReadMode
{
    /// <summary>
    /// Accepts files without a preamble or DICM prefix, odd value lengths, elements out of order, duplicate tags and
    /// trailing bytes; each is recorded as a warning.
    /// </summary>
    Lenient,

    /// <summary>Any departure from PS3.5 and PS3.10 is a <see cref="DicomFormatException"/>.</summary>
    Strict,
}
