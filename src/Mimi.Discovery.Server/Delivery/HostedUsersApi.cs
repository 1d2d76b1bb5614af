using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Audit;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The hosting provider's administration of its users and their clients (operator of this instance only). A client
/// authenticates like a provider (RFC 7523 private_key_jwt at <c>/oauth2/token</c>) with its MIMI client URI as
/// client id and the key registered here, and gets the hosted-client role.
/// </summary>
internal static class HostedUsersApi
{
    internal static readonly Dictionary<string, ConsentMode> Modes = new(StringComparer.Ordinal)
    {
        ["open"] = ConsentMode.Open,
        ["quarantine"] = ConsentMode.Quarantine,
        ["consent-required"] = ConsentMode.ConsentRequired,
    };

    public static string ModeName(ConsentMode mode) => Modes.First(m => m.Value == mode).Key;

    public static IEndpointRouteBuilder MapHostedUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/delivery").WithTags("Delivery").RequireAuthorization(Policies.Operator);
        group.MapPost("/users", CreateUserAsync).WithName("CreateHostedUser")
            .WithSummary("Creates a hosted user (name and consent mode: open, quarantine, consent-required). Operator only.");
        group.MapGet("/users", ListUsersAsync).WithName("ListHostedUsers").WithSummary("Lists hosted users. Operator only.");
        group.MapDelete("/users/{name}", DeleteUserAsync).WithName("DeleteHostedUser")
            .WithSummary("Deletes a hosted user and its clients. Operator only.");
        group.MapPost("/users/{name}/clients", AddClientAsync).WithName("AddHostedClient")
            .WithSummary("Registers a client of a hosted user with its public key (JWK). Operator only.");
        group.MapDelete("/clients/{name}", RemoveClientAsync).WithName("RemoveHostedClient")
            .WithSummary("Removes a client; its tokens stop working at once. Operator only.");
        return app;
    }

    private static async Task<Results<Created<HostedUserView>, ProblemHttpResult>> CreateUserAsync(
        CreateHostedUserRequest request, HostedUserStore store, IOptions<DeliveryOptions> delivery, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!TryUri(delivery.Value, "u", request.Name, "name", out var user, out var problem))
        {
            return problem!;
        }

        var mode = ConsentMode.ConsentRequired;
        if (request.ConsentMode is { } name && !Modes.TryGetValue(name, out mode))
        {
            return Problems.InvalidRequest("consentMode", "consentMode must be open, quarantine or consent-required.");
        }

        var record = new HostedUser(user!, mode, time.GetUtcNow());
        if (!await store.TryCreateUserAsync(record, AuditActors.From(http), ct))
        {
            return Problems.Conflict($"User '{user}' exists already.");
        }

        return TypedResults.Created($"/v1/delivery/users/{Uri.EscapeDataString(request.Name!)}", View(record));
    }

    private static async Task<Ok<HostedUserView[]>> ListUsersAsync(HostedUserStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListUsersAsync(ct)).Select(View).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteUserAsync(
        string name, HostedUserStore store, ClientDirectory directory, IOptions<DeliveryOptions> delivery, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        if (!TryUri(delivery.Value, "u", name, "name", out var user, out var problem))
        {
            return problem!;
        }

        if (!await store.DeleteUserAsync(user!, time.GetUtcNow(), AuditActors.From(http), ct))
        {
            return Problems.NotFound($"No hosted user '{user}'.");
        }

        await directory.RefreshAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<HostedClientView>, ProblemHttpResult>> AddClientAsync(
        string name, AddHostedClientRequest request, HostedUserStore store, ClientDirectory directory, IOptions<DeliveryOptions> delivery,
        TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!TryUri(delivery.Value, "u", name, "name", out var user, out var problem)
            || !TryUri(delivery.Value, "d", request.Name, "client name", out var client, out problem))
        {
            return problem!;
        }

        if (request.Jwk.ValueKind != JsonValueKind.Object)
        {
            return Problems.InvalidRequest("jwk", "jwk must be a public JWK object (EC P-256 or OKP Ed25519).");
        }

        if (!ClientKey.TryParse(request.Jwk, out var key, out var error))
        {
            return Problems.InvalidRequest("jwk", error);
        }

        if (!await store.TryAddClientAsync(new HostedClient(client!, user!, key!.Kid, key.Jwk, time.GetUtcNow()), AuditActors.From(http), ct))
        {
            return await store.FindUserAsync(user!, ct) is null
                ? Problems.NotFound($"No hosted user '{user}'.")
                : Problems.Conflict($"Client '{client}' exists already.");
        }

        await directory.RefreshAsync(ct);
        return TypedResults.Created($"/v1/delivery/clients/{Uri.EscapeDataString(request.Name!)}", new HostedClientView(client!, user!, key.Kid));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveClientAsync(
        string name, HostedUserStore store, ClientDirectory directory, IOptions<DeliveryOptions> delivery, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        if (!TryUri(delivery.Value, "d", name, "name", out var client, out var problem))
        {
            return problem!;
        }

        if (!await store.RemoveClientAsync(client!, time.GetUtcNow(), AuditActors.From(http), ct))
        {
            return Problems.NotFound($"No client '{client}'.");
        }

        await directory.RefreshAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Builds <c>mimi://{domain}/{kind}/{name}</c> for a local name, or the problem saying what is wrong with it.</summary>
    internal static bool TryUri(DeliveryOptions delivery, string kind, string? name, string field, out string? uri, out ProblemHttpResult? problem)
    {
        uri = null;
        problem = null;
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problem = Problems.InvalidRequest(field, $"{field} must be 1 to 64 characters: ASCII letters, digits, '-', '_' or '.'.");
            return false;
        }

        if (!Ssi.TryParse($"mimi://{delivery.HostedDomain}/{kind}/{name}", out var ssi, out var error))
        {
            problem = Problems.InvalidIdentifier(field, error.Code, error.Message);
            return false;
        }

        uri = ssi.Value;
        return true;
    }

    private static HostedUserView View(HostedUser user) => new(user.UserUri, ModeName(user.ConsentMode), user.CreatedAt);
}
