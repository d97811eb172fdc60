using DiffuGts.Dicom.Codecs;
using Xunit;

namespace DiffuGts.Dicom.Tests.Codecs;

public sealed class PixelCodecRegistryTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2.5")]
    [InlineData("1.2.840.10008.1.2.4.57")]
    [InlineData("1.2.840.10008.1.2.4.70")]
    [InlineData("1.2.840.10008.1.2.4.70\0")]
    public void TryGet_SupportedSyntax_ReturnsCodecForThatSyntax(string uid)
    {
        Assert.True(PixelCodecRegistry.TryGet(uid, out var codec));
        Assert.Equal(uid.TrimEnd('\0'), codec.TransferSyntaxUid);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.4.50")]
    [InlineData("1.2.840.10008.1.2.4.90")]
    [InlineData("")]
    public void TryGet_NativeOrUnsupportedSyntax_ReturnsFalse(string uid)
    {
        Assert.False(PixelCodecRegistry.TryGet(uid, out var codec));
        Assert.Null(codec);
    }

    [Fact]
    public void SupportedTransferSyntaxes_ListsEveryRegisteredCodec()
    {
        Assert.Equal(
            ["1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.5"],
            PixelCodecRegistry.SupportedTransferSyntaxes);
        Assert.All(PixelCodecRegistry.SupportedTransferSyntaxes, uid => Assert.True(PixelCodecRegistry.TryGet(uid, out _)));
    }
}
