using DiffuGts.Dicom.Network.Pdus;

namespace DiffuGts.Dicom.Network.Client;

/// <summary>The peer answered A-ASSOCIATE-RJ (PS3.8 §9.3.4). <see cref="IsTransient"/> follows the RJ result field.</summary>
public sealed class AssociationRejectedException : Exception
{
    public AssociationRejectedException()
        : this(new AssociateRejectPdu(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser, AssociationRejectReasons.NoReasonGiven))
    {
    }

    public AssociationRejectedException(string message)
        : base(message)
    {
        Reject = new AssociateRejectPdu(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser, AssociationRejectReasons.NoReasonGiven);
    }

    public AssociationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reject = new AssociateRejectPdu(AssociationRejectResult.Permanent, AssociationRejectSource.ServiceUser, AssociationRejectReasons.NoReasonGiven);
    }

    public AssociationRejectedException(AssociateRejectPdu reject)
        : base($"association rejected: {reject}")
    {
        ArgumentNullException.ThrowIfNull(reject);
        Reject = reject;
    }

    public AssociateRejectPdu Reject { get; }

    public bool IsTransient => Reject.Result == AssociationRejectResult.Transient;
}
