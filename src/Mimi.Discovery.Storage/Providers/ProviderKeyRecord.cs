namespace Mimi.Discovery.Storage;

/// <summary>A public signing key of a provider (a JWK), active until retired.</summary>
public sealed record ProviderKeyRecord(string Kid, string Jwk, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt)
{
    /// <summary>True while the key may sign client assertions.</summary>
    public bool IsActive => RetiredAt is null;
}
