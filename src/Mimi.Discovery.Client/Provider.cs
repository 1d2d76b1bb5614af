namespace Mimi.Discovery.Client;

/// <summary>An enrolled provider as the service shows it.</summary>
public sealed record Provider(string Domain, string DisplayName, string Contact, bool Trusted, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, ProviderKey[] Keys);
