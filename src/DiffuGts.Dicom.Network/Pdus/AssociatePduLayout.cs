namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// The fixed part shared by A-ASSOCIATE-RQ and -AC (PS3.8 Tables 9-11 and 9-17): protocol version, reserved, called and
/// calling AE titles (16 bytes each), 32 reserved bytes; variable items start at body offset 68.
/// </summary>
internal static class AssociatePduLayout
{
    public const ushort ProtocolVersion = 0x0001;
    public const int ProtocolVersionOffset = 0;
    public const int CalledAeOffset = 4;
    public const int CallingAeOffset = 20;
    public const int ItemsOffset = 68;

    /// <summary>The DICOM Application Context Name (PS3.7 Annex A.2.1).</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>Writes the fixed part and returns the span where the variable items go.</summary>
    public static Span<byte> WriteFixed(Span<byte> body, string calledAe, string callingAe)
    {
        body[..ItemsOffset].Clear();
        body[ProtocolVersionOffset] = ProtocolVersion >> 8;
        body[ProtocolVersionOffset + 1] = ProtocolVersion & 0xFF;
        PduFormat.WriteAeTitle(body.Slice(CalledAeOffset, PduFormat.AeTitleLength), calledAe);
        PduFormat.WriteAeTitle(body.Slice(CallingAeOffset, PduFormat.AeTitleLength), callingAe);
        return body[ItemsOffset..];
    }

    public static (ushort Version, string CalledAe, string CallingAe) ReadFixed(ReadOnlySpan<byte> body, string what)
    {
        if (body.Length < ItemsOffset)
        {
            throw new DicomProtocolException($"{what} PDU is {body.Length} bytes, shorter than its {ItemsOffset}-byte fixed part");
        }

        var version = (ushort)((body[0] << 8) | body[1]);
        return (version,
            PduFormat.ReadAeTitle(body.Slice(CalledAeOffset, PduFormat.AeTitleLength)),
            PduFormat.ReadAeTitle(body.Slice(CallingAeOffset, PduFormat.AeTitleLength)));
    }

    /// <summary>
    /// The variable items of an A-ASSOCIATE-RQ or -AC (PS3.8 §9.3.2, §9.3.3): one application context, the presentation
    /// context items of <paramref name="contextItem"/> (0x20 in an RQ, 0x21 in an AC), one user information item; items of
    /// other types are skipped as §9.3.1 allows.
    /// </summary>
    public static (ushort Version, string CalledAe, string CallingAe, string? ApplicationContext, List<T> Contexts, UserInformation? UserInformation)
        ReadItems<T>(ReadOnlySpan<byte> body, string what, byte contextItem, Func<ReadOnlySpan<byte>, T> readContext)
    {
        var (version, called, calling) = ReadFixed(body, what);
        var reader = new PduSpanReader(body[ItemsOffset..], what);
        string? applicationContext = null;
        var contexts = new List<T>();
        UserInformation? userInformation = null;
        while (reader.Remaining > 0)
        {
            var item = reader.Item(out var type);
            if (type == ItemType.ApplicationContext)
            {
                applicationContext = PduFormat.ReadUid(item);
            }
            else if (type == contextItem)
            {
                contexts.Add(readContext(item));
            }
            else if (type == ItemType.UserInformation)
            {
                userInformation = UserInformation.Read(item);
            }
        }

        return (version, called, calling, applicationContext, contexts, userInformation);
    }

    /// <summary>Body length of an A-ASSOCIATE-RQ or -AC: fixed part, application context, contexts, user information.</summary>
    public static int BodyLength(string applicationContext, IEnumerable<IPresentationContextItem> contexts, UserInformation userInformation) =>
        ItemsOffset + 4 + applicationContext.Length + contexts.Sum(pc => 4 + pc.ItemLength) + 4 + userInformation.ItemLength;

    /// <summary>Writes the whole body of an A-ASSOCIATE-RQ or -AC (PS3.8 Tables 9-11 and 9-17).</summary>
    public static void WriteBody(Span<byte> destination, string calledAe, string callingAe, string applicationContext,
        IEnumerable<IPresentationContextItem> contexts, UserInformation userInformation)
    {
        var writer = new PduSpanWriter(WriteFixed(destination, calledAe, callingAe));
        writer.StringItem(ItemType.ApplicationContext, applicationContext);
        foreach (var pc in contexts)
        {
            pc.Write(ref writer);
        }

        userInformation.Write(ref writer);
    }
}
