using System.IO.Pipelines;
using DiffuGts.Dicom.Network.Dimse;
using DiffuGts.Dicom.Network.Pdus;
using Xunit;

namespace DiffuGts.Dicom.Network.Tests.Pdus;

/// <summary>
/// Bounded fuzzing of the PDU reader and decoders: seeded mutations (bit flips, byte overwrites, truncation, length
/// field changes) of valid PDUs must end in a decoded PDU or a typed error (protocol, end of stream), never anything else.
/// </summary>
public sealed class PduReaderFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        GoldenVectors.Bytes(GoldenVectors.AssociateRequest),
        GoldenVectors.AssociateAccept(),
        GoldenVectors.Bytes(GoldenVectors.RejectCalledAe),
        GoldenVectors.Bytes(GoldenVectors.AbortInvalidParameter),
        GoldenVectors.Bytes(GoldenVectors.ReleaseRequest),
        PduEncoder.ToArray(new PDataTfPdu([new PresentationDataValue(1, true, true, DimseCommand.StoreRequest(1, "1.2.3", "4.5.6").Encode())])),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task ReadAndDecode_SeededMutations_OnlyTypedErrors(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])Seeds[random.Next(Seeds.Length)].Clone();
            Mutate(bytes, random, out var length);
            var pipe = new Pipe();
            await pipe.Writer.WriteAsync(bytes.AsMemory(0, length));
            await pipe.Writer.CompleteAsync();
            var reader = new PduReader(pipe.Reader, 16384);
            try
            {
                while (await reader.ReadAsync(CancellationToken.None) is { } pdu)
                {
                    var decoded = pdu.Decode();
                    if (decoded is PDataTfPdu data)
                    {
                        foreach (var pdv in data.Values.Where(v => v.IsCommand))
                        {
                            DimseCommand.Decode(pdv.Data.Span);
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is DicomProtocolException or EndOfStreamException)
            {
            }
        }
    }

    private static void Mutate(byte[] bytes, Random random, out int length)
    {
        length = bytes.Length;
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                for (var k = random.Next(1, 8); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                break;
            case 2:
                length = random.Next(bytes.Length);
                break;
            default:
                // Item or PDU length fields: overwrite a random 2-byte big-endian field with a random value.
                var at = random.Next(bytes.Length - 1);
                bytes[at] = (byte)random.Next(256);
                bytes[at + 1] = (byte)random.Next(256);
                break;
        }
    }
}
