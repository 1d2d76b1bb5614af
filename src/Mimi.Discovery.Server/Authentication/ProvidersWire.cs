using System.Text.Json;
using Mimi.Discovery.Model;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authentication;

internal sealed record EnrolProviderRequest(string Domain, string? DisplayName, string Contact, bool Trusted, JsonElement[]? Keys);

internal sealed record SetTrustRequest(bool Trusted);

internal sealed record ProviderKeyView(string Kid, JsonElement Jwk, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt)
{
    public static ProviderKeyView From(ProviderKeyRecord k) => new(k.Kid, JsonDocument.Parse(k.Jwk).RootElement.Clone(), k.CreatedAt, k.RetiredAt);
}

internal sealed record ProviderView(string Domain, string DisplayName, string Contact, bool Trusted, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, ProviderKeyView[] Keys)
{
    public static ProviderView From(ProviderRecord p) => new(p.Domain, p.DisplayName, p.Contact, p.Trust == ProviderTrust.Trusted,
        p.Status == ProviderStatus.Active ? "active" : "suspended", p.CreatedAt, p.UpdatedAt, p.Keys.Select(ProviderKeyView.From).ToArray());
}
