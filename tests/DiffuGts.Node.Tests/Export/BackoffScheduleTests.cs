using DiffuGts.Node.Export;
using Xunit;

namespace DiffuGts.Node.Tests.Export;

public sealed class BackoffScheduleTests
{
    [Theory]
    [InlineData(1, 1.0, 5)]
    [InlineData(2, 1.0, 10)]
    [InlineData(3, 1.0, 20)]
    [InlineData(3, 0.0, 10)]   // jitter takes at most half off
    [InlineData(10, 1.0, 600)] // capped at MaxDelay
    [InlineData(1000, 1.0, 600)]
    public void DelayAfter_Attempts_DoublesUpToTheCap(int attempts, double jitter, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds),
            BackoffSchedule.DelayAfter(attempts, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10), jitter));
    }
}
