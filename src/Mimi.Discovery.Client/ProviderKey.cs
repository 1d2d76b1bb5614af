using System.Text.Json;

namespace Mimi.Discovery.Client;

/// <summary>A provider's public signing key.</summary>
public sealed record ProviderKey(string Kid, JsonElement Jwk, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);
