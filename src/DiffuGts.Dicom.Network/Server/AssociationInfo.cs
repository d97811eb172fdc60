using System.Net;

namespace DiffuGts.Dicom.Network.Server;

/// <summary>Who is on the other end of an association; handed to store handlers and used as the log scope.</summary>
public sealed record AssociationInfo(long Id, string CallingAeTitle, string CalledAeTitle, EndPoint? RemoteEndPoint);
