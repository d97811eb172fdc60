using System.Net;
using DiffuGts.Node.Options;
using Xunit;

namespace DiffuGts.Node.Tests.Options;

public sealed class IpRangeTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("10.1.0.0/16", "10.1.200.3", true)]
    [InlineData("10.1.0.0/16", "10.2.0.1", false)]
    [InlineData("10.1.0.0/20", "10.1.15.255", true)]
    [InlineData("10.1.0.0/20", "10.1.16.0", false)]
    [InlineData("0.0.0.0/0", "192.0.2.7", true)]
    [InlineData("::1/128", "::1", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.9.8.7", true)]
    public void Contains_Address_MatchesPrefix(string range, string address, bool expected)
    {
        Assert.True(IpRange.TryParse(range, out var r));
        Assert.Equal(expected, r!.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0/33")]
    [InlineData("hospital.example")]
    [InlineData("10.0.0.0/x")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(IpRange.TryParse(text, out _));
    }
}
