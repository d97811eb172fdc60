namespace DiffuGts.Dicom.Network.Association;

/// <summary>
/// The actions of PS3.8 Tables 9-6 to 9-9. Each fixes the next state (see <see cref="AssociationStateTable.NextState"/>),
/// except AE-6 and AR-8, whose next state depends on acceptability and on the side.
/// </summary>
public enum AssociationAction
{
    /// <summary>Issue TRANSPORT CONNECT request → Sta4.</summary>
    Ae1 = 1,

    /// <summary>Send A-ASSOCIATE-RQ PDU → Sta5.</summary>
    Ae2,

    /// <summary>Issue A-ASSOCIATE confirmation (accept) → Sta6.</summary>
    Ae3,

    /// <summary>Issue A-ASSOCIATE confirmation (reject) and close transport → Sta1.</summary>
    Ae4,

    /// <summary>Issue transport connection response, start ARTIM → Sta2.</summary>
    Ae5,

    /// <summary>Stop ARTIM; if acceptable issue A-ASSOCIATE indication → Sta3, else send RJ and start ARTIM → Sta13.</summary>
    Ae6,

    /// <summary>Send A-ASSOCIATE-AC PDU → Sta6.</summary>
    Ae7,

    /// <summary>Send A-ASSOCIATE-RJ PDU and start ARTIM → Sta13.</summary>
    Ae8,

    /// <summary>Send P-DATA-TF PDU → Sta6.</summary>
    Dt1,

    /// <summary>Issue P-DATA indication → Sta6.</summary>
    Dt2,

    /// <summary>Send A-RELEASE-RQ PDU → Sta7.</summary>
    Ar1,

    /// <summary>Issue A-RELEASE indication → Sta8.</summary>
    Ar2,

    /// <summary>Issue A-RELEASE confirmation and close transport → Sta1.</summary>
    Ar3,

    /// <summary>Send A-RELEASE-RP PDU and start ARTIM → Sta13.</summary>
    Ar4,

    /// <summary>Stop ARTIM → Sta1.</summary>
    Ar5,

    /// <summary>Issue P-DATA indication (while awaiting RP) → Sta7.</summary>
    Ar6,

    /// <summary>Send P-DATA-TF PDU (while awaiting local release response) → Sta8.</summary>
    Ar7,

    /// <summary>Release collision: issue A-RELEASE indication → Sta9 (requestor) or Sta10 (acceptor).</summary>
    Ar8,

    /// <summary>Send A-RELEASE-RP PDU → Sta11.</summary>
    Ar9,

    /// <summary>Issue A-RELEASE confirmation → Sta12.</summary>
    Ar10,

    /// <summary>Send A-ABORT PDU (service user), start or restart ARTIM → Sta13.</summary>
    Aa1,

    /// <summary>Stop ARTIM if running, close transport → Sta1.</summary>
    Aa2,

    /// <summary>Issue A-ABORT or A-P-ABORT indication and close transport → Sta1.</summary>
    Aa3,

    /// <summary>Issue A-P-ABORT indication → Sta1.</summary>
    Aa4,

    /// <summary>Stop ARTIM → Sta1.</summary>
    Aa5,

    /// <summary>Ignore the PDU → Sta13.</summary>
    Aa6,

    /// <summary>Send A-ABORT PDU → Sta13.</summary>
    Aa7,

    /// <summary>Send A-ABORT PDU (service provider), issue A-P-ABORT indication, start ARTIM → Sta13.</summary>
    Aa8,
}
