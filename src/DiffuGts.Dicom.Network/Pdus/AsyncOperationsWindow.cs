namespace DiffuGts.Dicom.Network.Pdus;

/// <summary>
/// Asynchronous Operations Window sub-item (0x53, PS3.7 Annex D.3.3.3): maximum operations invoked and performed;
/// 0 means unlimited. When absent both are 1 (synchronous operation).
/// </summary>
public sealed record AsyncOperationsWindow(ushort MaxOperationsInvoked, ushort MaxOperationsPerformed);
