using System.Text.Json;

namespace Mimi.Discovery.Server.Delivery;

internal sealed record CreateHostedUserRequest(string? Name, string? ConsentMode);

internal sealed record AddHostedClientRequest(string? Name, JsonElement Jwk);

internal sealed record HostedUserView(string User, string ConsentMode, DateTimeOffset CreatedAt);

internal sealed record HostedClientView(string Client, string User, string Kid);
