namespace Mimi.Discovery.Storage;

/// <summary>A revoked serial, as a CRL lists it.</summary>
public sealed record RevokedSerial(string Serial, DateTimeOffset RevokedAt, string Reason);
