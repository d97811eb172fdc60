using System.Collections.Frozen;

namespace DiffuGts.Dicom;

/// <summary>
/// A transfer syntax (PS3.5 §10, Annex A): how a dataset is encoded: explicit or implicit VR, byte order, deflate, and
/// whether Pixel Data is encapsulated. Every UID that is not one of the three native syntaxes is Explicit VR Little
/// Endian with encapsulated Pixel Data (PS3.5 §A.4), so an unknown UID is read that way.
/// </summary>
public sealed class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian =
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", true, true, false, false);
    public static readonly DicomTransferSyntax RLELossless = Encapsulated("1.2.840.10008.1.2.5", "RLE Lossless");
    public static readonly DicomTransferSyntax JPEGBaseline8Bit = Encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)");
    public static readonly DicomTransferSyntax JPEGExtended12Bit = Encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)");
    public static readonly DicomTransferSyntax JPEGLossless = Encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)");
    public static readonly DicomTransferSyntax JPEGLosslessSV1 =
        Encapsulated("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])");
    public static readonly DicomTransferSyntax JPEGLSLossless = Encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression");
    public static readonly DicomTransferSyntax JPEGLSNearLossless = Encapsulated("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression");
    public static readonly DicomTransferSyntax JPEG2000Lossless = Encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)");
    public static readonly DicomTransferSyntax JPEG2000 = Encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression");
    public static readonly DicomTransferSyntax HTJ2KLossless = Encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)");
    public static readonly DicomTransferSyntax HTJ2KLosslessRPCL =
        Encapsulated("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)");
    public static readonly DicomTransferSyntax HTJ2K = Encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000");

    private static readonly FrozenDictionary<string, DicomTransferSyntax> Known = new[]
    {
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, RLELossless, JPEGBaseline8Bit,
        JPEGExtended12Bit, JPEGLossless, JPEGLosslessSV1, JPEGLSLossless, JPEGLSNearLossless, JPEG2000Lossless, JPEG2000, HTJ2KLossless,
        HTJ2KLosslessRPCL, HTJ2K,
    }.ToFrozenDictionary(t => t.Uid, StringComparer.Ordinal);

    private DicomTransferSyntax(string uid, string name, bool isExplicitVR, bool isBigEndian, bool isDeflated, bool isEncapsulated)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = isExplicitVR;
        IsBigEndian = isBigEndian;
        IsDeflated = isDeflated;
        IsEncapsulated = isEncapsulated;
    }

    public string Uid { get; }

    public string Name { get; }

    public bool IsExplicitVR { get; }

    public bool IsBigEndian { get; }

    /// <summary>The dataset after the file meta information is raw-deflated (RFC 1951; PS3.5 §A.5).</summary>
    public bool IsDeflated { get; }

    /// <summary>Pixel Data is a sequence of fragments (PS3.5 §A.4).</summary>
    public bool IsEncapsulated { get; }

    /// <summary>True when this UID is one the library names; false for an unknown UID read as encapsulated Explicit VR LE.</summary>
    public bool IsKnown => Known.ContainsKey(Uid);

    /// <summary>The syntax for a UID (trailing NUL and space padding tolerated: dicom-rs #157).</summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var trimmed = uid.Trim(' ', '\0');
        return Known.TryGetValue(trimmed, out var known) ? known : Encapsulated(trimmed, $"Unknown transfer syntax {trimmed}");
    }

    public bool Equals(DicomTransferSyntax? other) => other is not null && string.Equals(Uid, other.Uid, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as DicomTransferSyntax);

    public override int GetHashCode() => Uid.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"{Name} ({Uid})";

    private static DicomTransferSyntax Encapsulated(string uid, string name) => new(uid, name, true, false, false, true);
}
