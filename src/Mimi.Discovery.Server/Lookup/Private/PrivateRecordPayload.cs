namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>The plaintext of a record: one mapping, as a plain lookup returns it.</summary>
internal sealed record PrivateRecordPayload(string Ssi, string Provider, string[] Tags, string Assertion, string? KeyMaterial, string Serial, DateTimeOffset NotAfter);
