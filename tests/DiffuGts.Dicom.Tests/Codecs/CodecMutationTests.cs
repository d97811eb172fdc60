using DiffuGts.Dicom.Codecs;
using Xunit;

namespace DiffuGts.Dicom.Tests.Codecs;

/// <summary>
/// A seeded mutation loop over valid frames: flipped bits, overwritten and inserted bytes, truncation. Every result must
/// either decode or throw <see cref="InvalidDataException"/>; an index error, overflow or hang is a bug.
/// </summary>
public sealed class CodecMutationTests
{
    private const int Iterations = 3000;

    [Fact]
    public void DecodeFrame_MutatedJpegLosslessStreams_ThrowOnlyInvalidData()
    {
        var info = new PixelFrameInfo(12, 10, 3, 16, 16, 0, 0);
        ushort[][] planes = [.. Enumerable.Range(1, 3).Select(s => JpegLosslessCodecTests.SmoothPlane(12, 10, 16, s))];
        byte[][] seeds =
        [
            JpegLosslessTestEncoder.Encode(planes, 12, 10, new JpegLosslessEncoding(16, 7) { RestartInterval = 10 }),
            JpegLosslessTestEncoder.Encode(planes, 12, 10, new JpegLosslessEncoding(12, 4) { Interleaved = false, PointTransform = 1 }),
        ];

        AssertOnlyInvalidData(new JpegLosslessCodec(JpegLosslessCodec.ProcessFourteenUid), seeds, info);
    }

    [Fact]
    public void DecodeFrame_MutatedRleFrames_ThrowOnlyInvalidData()
    {
        var info = new PixelFrameInfo(9, 40, 3, 16, 16, 0, 1);
        var seed = RleLosslessCodec.EncodeFrame(RleLosslessCodecTests.RunsAndNoise(info.FrameLength, 5), info);

        AssertOnlyInvalidData(new RleLosslessCodec(), [seed], info);
    }

    private static void AssertOnlyInvalidData(IPixelCodec codec, byte[][] seeds, PixelFrameInfo info)
    {
        var random = new Random(20261128);
        var destination = new byte[info.FrameLength];
        var failures = new List<string>();
        for (var i = 0; i < Iterations && failures.Count < 5; i++)
        {
            var input = Mutate(seeds[i % seeds.Length], random);
            try
            {
                codec.DecodeFrame(input, info, destination);
            }
            catch (InvalidDataException)
            {
            }
#pragma warning disable CA1031 // Any other exception is the finding this test reports.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"iteration {i}: {e.GetType().Name}: {e.Message} input {Convert.ToHexString(input)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    internal static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)(random.Next(2) == 0 ? 0xFF : random.Next(256)));
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
