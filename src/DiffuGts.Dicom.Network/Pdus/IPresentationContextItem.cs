namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>A presentation context item as A-ASSOCIATE-RQ (0x20) and -AC (0x21) both carry it (PS3.8 §9.3.2.2, §9.3.3.2).</summary>
internal interface IPresentationContextItem
{
    int ItemLength { get; }

    void Write(ref PduSpanWriter writer);
}
