using DiffuGts.Imaging.Operations;
using Xunit;

namespace DiffuGts.Imaging.Tests.Operations;

public sealed class DisplayWindowTests
{
    [Theory]
    [InlineData(-1000f, 0)]
    [InlineData(-160f, 0)]      // x ≤ c − 0.5 − (w − 1)/2 = −160
    [InlineData(239.5f, 255)]   // x > c − 0.5 + (w − 1)/2 = 239
    [InlineData(100f, 166)]     // ((100 − 39.5)/399 + 0.5)·255 = 166.17
    [InlineData(0f, 102)]       // ((0 − 39.5)/399 + 0.5)·255 = 102.26
    public void Apply_SoftTissueWindow_FollowsPs33LinearFunction(float hu, byte expected)
    {
        var window = DisplayWindow.CtSoftTissue;
        var span = new byte[1];

        window.Apply([hu], span);

        Assert.Equal(expected, window.Apply(hu));
        Assert.Equal(expected, span[0]);
    }

    [Fact]
    public void FromPercentiles_Ramp_CoversMiddleOfRange()
    {
        var values = Enumerable.Range(0, 1001).Select(v => (float)v).ToArray();

        var window = DisplayWindow.FromPercentiles(values);

        Assert.Equal(0, window.Apply(5));
        Assert.Equal(255, window.Apply(995));
        Assert.InRange(window.Apply(500), 120, 135);
    }
}
