using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace DiffuGts.Dicom;

/// <summary>
/// Makes UIDs (PS3.5 §9, Annex B). Without a root, UIDs are <c>2.25.</c> followed by a 128-bit UUID as an unsigned decimal
/// (PS3.5 Annex B.2), which needs no registered root. With an organisation's root, the suffix is a random (or derived)
/// decimal that keeps the UID within 64 characters.
/// </summary>
public sealed class DicomUidGenerator
{
    /// <summary>PS3.5 Annex B.2: the UUID-derived root.</summary>
    public const string UuidRoot = "2.25";

    /// <summary>Shortest suffix accepted under a custom root: at least 64 bits' worth of decimal digits keeps collisions negligible.</summary>
    private const int MinimumSuffixDigits = 20;

    public DicomUidGenerator(string? root = null)
    {
        if (root is not null)
        {
            if (!DicomUid.IsValid(root))
            {
                throw new ArgumentException($"'{root}' is not a valid UID root (PS3.5 §9.1)", nameof(root));
            }

            if (DicomUid.MaxLength - root.Length - 1 < MinimumSuffixDigits)
            {
                throw new ArgumentException($"root '{root}' leaves fewer than {MinimumSuffixDigits} digits of the 64 allowed", nameof(root));
            }
        }

        Root = root;
    }

    public static DicomUidGenerator Default { get; } = new();

    /// <summary>The organisation root, or null for the 2.25 UUID form.</summary>
    public string? Root { get; }

    /// <summary>A new, random UID.</summary>
    public string Generate() => Compose(Guid.NewGuid().ToByteArray(bigEndian: true));

    /// <summary>
    /// A UID that depends only on <paramref name="algorithmVersion"/> and <paramref name="inputs"/>: the same inputs always
    /// give the same UID, so a rerun writes the same SOP Instance UID (idempotent results). SHA-256 over the
    /// length-prefixed inputs; the first 128 bits become an RFC 9562 version-8 UUID under 2.25, or the suffix under a root.
    /// </summary>
    public string Derive(int algorithmVersion, params string[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha, "diffugts-uid-v" + algorithmVersion.ToString(CultureInfo.InvariantCulture));
        Append(sha, Root ?? UuidRoot);
        foreach (var input in inputs)
        {
            Append(sha, input ?? throw new ArgumentException("inputs may not contain null", nameof(inputs)));
        }

        var hash = sha.GetHashAndReset();
        var uuid = hash.AsSpan(0, 16).ToArray();
        // RFC 9562 §5.8: version 8 in the high nibble of octet 6, variant 10 in the top bits of octet 8.
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        return Compose(uuid);
    }

    /// <summary>PS3.5 Annex B.2 reads the 128 UUID bits as one big-endian unsigned integer.</summary>
    private string Compose(byte[] uuid)
    {
        var number = new BigInteger(uuid, isUnsigned: true, isBigEndian: true);
        var digits = number.ToString(CultureInfo.InvariantCulture);
        if (Root is null)
        {
            return UuidRoot + "." + digits;
        }

        var room = DicomUid.MaxLength - Root.Length - 1;
        return Root + "." + (digits.Length > room ? digits[..room] : digits);
    }

    private static void Append(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
