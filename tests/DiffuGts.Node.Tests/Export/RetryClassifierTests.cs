using DiffuGts.Node.Export;
using Xunit;

namespace DiffuGts.Node.Tests.Export;

public sealed class RetryClassifierTests
{
    [Theory]
    [InlineData(DeliveryFailureKind.ConnectionFailed, null, true)]
    [InlineData(DeliveryFailureKind.Timeout, null, true)]
    [InlineData(DeliveryFailureKind.AssociationRejectedTransient, null, true)]
    [InlineData(DeliveryFailureKind.Aborted, null, true)]
    [InlineData(DeliveryFailureKind.AssociationRejectedPermanent, null, false)]
    [InlineData(DeliveryFailureKind.NoAcceptedContext, null, false)]
    [InlineData(DeliveryFailureKind.TlsFailed, null, false)]
    [InlineData(DeliveryFailureKind.DimseStatus, 0xA700, true)]  // out of resources
    [InlineData(DeliveryFailureKind.DimseStatus, 0xA7FF, true)]
    [InlineData(DeliveryFailureKind.DimseStatus, 0x0110, true)]  // processing failure
    [InlineData(DeliveryFailureKind.DimseStatus, 0xA900, false)] // data set does not match SOP class
    [InlineData(DeliveryFailureKind.DimseStatus, 0xC000, false)] // cannot understand
    [InlineData(DeliveryFailureKind.DimseStatus, 0xC123, false)]
    [InlineData(DeliveryFailureKind.DimseStatus, 0x0122, false)] // SOP class not supported
    [InlineData(DeliveryFailureKind.DimseStatus, null, false)]
    public void IsTransient_Failure_FollowsStatusFamilies(DeliveryFailureKind kind, int? status, bool transient)
    {
        var failure = new DeliveryFailure(kind, "test", status is null ? null : (ushort)status);
        Assert.Equal(transient, RetryClassifier.IsTransient(failure));
    }
}
