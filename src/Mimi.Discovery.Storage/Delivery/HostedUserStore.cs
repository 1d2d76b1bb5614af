using Mimi.Discovery.Model;

namespace Mimi.Discovery.Storage;

/// <summary>Hosted users and their clients. Changes bump the directory revision, so every replica's client cache follows.</summary>
public sealed class HostedUserStore(MimiDatabase database)
{
    /// <summary>Creates a user, recording the act; false if it already exists.</summary>
    public Task<bool> TryCreateUserAsync(HostedUser user, AuditActor actor, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var insert = tx.Command("""
            INSERT INTO hosted_users (user_uri, consent_mode, created_at) VALUES (@u, @m, @t) ON CONFLICT (user_uri) DO NOTHING
            """);
        if (await insert.With("u", user.UserUri).With("m", (long)user.ConsentMode).With("t", StoredTime.From(user.CreatedAt)).ExecuteNonQueryAsync(ct) == 0)
        {
            return false;
        }

        await ProviderStore.BumpRevisionAsync(tx, ct);
        await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.HostedUserAdd, AuditTargets.User(user.UserUri), DomainOf(user.UserUri), null,
            AuditChange.Of(("consentMode", ModeName(user.ConsentMode)))), user.CreatedAt, ct);
        return true;
    }, ct);

    /// <summary>A user, or null when unknown or deleted.</summary>
    public Task<HostedUser?> FindUserAsync(string userUri, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT user_uri, consent_mode, created_at FROM hosted_users WHERE user_uri = @u AND deleted_at IS NULL");
        await using var reader = await query.With("u", userUri).ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new HostedUser(reader.GetString(0), (ConsentMode)reader.GetInt64(1), StoredTime.To(reader.GetInt64(2))) : null;
    }, ct);

    /// <summary>Every active user, in URI order.</summary>
    public Task<IReadOnlyList<HostedUser>> ListUsersAsync(CancellationToken ct) => database.ReadAsync<IReadOnlyList<HostedUser>>(async c =>
    {
        await using var query = c.Command("SELECT user_uri, consent_mode, created_at FROM hosted_users WHERE deleted_at IS NULL ORDER BY user_uri");
        await using var reader = await query.ExecuteReaderAsync(ct);
        var list = new List<HostedUser>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new HostedUser(reader.GetString(0), (ConsentMode)reader.GetInt64(1), StoredTime.To(reader.GetInt64(2))));
        }

        return list;
    }, ct);

    /// <summary>Sets a user's consent mode; false when the user is unknown.</summary>
    public Task<bool> SetConsentModeAsync(string userUri, ConsentMode mode, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("UPDATE hosted_users SET consent_mode = @m WHERE user_uri = @u AND deleted_at IS NULL");
        return await update.With("m", (long)mode).With("u", userUri).ExecuteNonQueryAsync(ct) == 1;
    }, ct);

    /// <summary>Deletes a user and removes its clients, recording the act; false when the user is unknown.</summary>
    public Task<bool> DeleteUserAsync(string userUri, DateTimeOffset now, AuditActor actor, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("UPDATE hosted_users SET deleted_at = @t WHERE user_uri = @u AND deleted_at IS NULL RETURNING consent_mode");
        if (await update.With("t", StoredTime.From(now)).With("u", userUri).ExecuteScalarAsync(ct) is not long mode)
        {
            return false;
        }

        await using var clients = tx.Command("UPDATE hosted_clients SET removed_at = @t WHERE user_uri = @u AND removed_at IS NULL");
        var removed = await clients.With("t", StoredTime.From(now)).With("u", userUri).ExecuteNonQueryAsync(ct);
        await ProviderStore.BumpRevisionAsync(tx, ct);
        await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.HostedUserRemove, AuditTargets.User(userUri), DomainOf(userUri),
            AuditChange.Of(("consentMode", ModeName((ConsentMode)mode)), ("clients", removed)), null), now, ct);
        return true;
    }, ct);

    /// <summary>Registers a client for an existing user, recording the act; false if the client URI is taken or the user is unknown.</summary>
    public Task<bool> TryAddClientAsync(HostedClient client, AuditActor actor, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var user = tx.Command("SELECT 1 FROM hosted_users WHERE user_uri = @u AND deleted_at IS NULL");
        if (await user.With("u", client.UserUri).ExecuteScalarAsync(ct) is null)
        {
            return false;
        }

        await using var insert = tx.Command("""
            INSERT INTO hosted_clients (client_uri, user_uri, kid, jwk, created_at) VALUES (@c, @u, @k, @j, @t) ON CONFLICT (client_uri) DO NOTHING
            """);
        if (await insert.With("c", client.ClientUri).With("u", client.UserUri).With("k", client.Kid).With("j", client.Jwk)
            .With("t", StoredTime.From(client.CreatedAt)).ExecuteNonQueryAsync(ct) == 0)
        {
            return false;
        }

        await ProviderStore.BumpRevisionAsync(tx, ct);
        await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.HostedClientAdd, AuditTargets.Client(client.ClientUri), DomainOf(client.ClientUri),
            null, AuditChange.Of(("user", client.UserUri), ("key", AuditChange.Key(client.Kid, client.Jwk)))), client.CreatedAt, ct);
        return true;
    }, ct);

    /// <summary>Removes a client (its tokens stop working on the next call), recording the act; false when unknown.</summary>
    public Task<bool> RemoveClientAsync(string clientUri, DateTimeOffset now, AuditActor actor, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("""
            UPDATE hosted_clients SET removed_at = @t WHERE client_uri = @c AND removed_at IS NULL RETURNING user_uri, kid, jwk
            """);
        string user, kid, jwk;
        await using (var reader = await update.With("t", StoredTime.From(now)).With("c", clientUri).ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }

            (user, kid, jwk) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        await ProviderStore.BumpRevisionAsync(tx, ct);
        await AuditStore.AppendAsync(tx, actor, new AuditEvent(AuditActions.HostedClientRemove, AuditTargets.Client(clientUri), DomainOf(clientUri),
            AuditChange.Of(("user", user), ("key", AuditChange.Key(kid, jwk))), null), now, ct);
        return true;
    }, ct);

    /// <summary>Every active client of every active user (the client cache loads these).</summary>
    public Task<IReadOnlyList<HostedClient>> ListClientsAsync(CancellationToken ct) => database.ReadAsync<IReadOnlyList<HostedClient>>(async c =>
    {
        await using var query = c.Command("""
            SELECT c.client_uri, c.user_uri, c.kid, c.jwk, c.created_at FROM hosted_clients c
            JOIN hosted_users u ON u.user_uri = c.user_uri
            WHERE c.removed_at IS NULL AND u.deleted_at IS NULL ORDER BY c.client_uri
            """);
        await using var reader = await query.ExecuteReaderAsync(ct);
        var list = new List<HostedClient>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new HostedClient(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), StoredTime.To(reader.GetInt64(4))));
        }

        return list;
    }, ct);

    /// <summary>The active clients of one user.</summary>
    public Task<IReadOnlyList<HostedClient>> ListClientsAsync(string userUri, CancellationToken ct) => database.ReadAsync<IReadOnlyList<HostedClient>>(async c =>
    {
        await using var query = c.Command("""
            SELECT client_uri, user_uri, kid, jwk, created_at FROM hosted_clients WHERE user_uri = @u AND removed_at IS NULL ORDER BY client_uri
            """);
        await using var reader = await query.With("u", userUri).ExecuteReaderAsync(ct);
        var list = new List<HostedClient>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new HostedClient(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), StoredTime.To(reader.GetInt64(4))));
        }

        return list;
    }, ct);

    /// <summary>Sets whether a hosted user answers identifier queries; false when the user is unknown.</summary>
    public Task<bool> SetDiscoverableAsync(string userUri, bool discoverable, CancellationToken ct) => database.WriteAsync(async tx =>
    {
        await using var update = tx.Command("UPDATE hosted_users SET discoverable = @d WHERE user_uri = @u AND deleted_at IS NULL");
        return await update.With("d", discoverable ? 1L : 0L).With("u", userUri).ExecuteNonQueryAsync(ct) == 1;
    }, ct);

    // Hosted users and clients belong to the provider this instance hosts, named by their URIs.
    private static string? DomainOf(string uri) => Mimi.Discovery.Identifiers.Ssi.TryParse(uri, out var ssi, out _) ? ssi.Domain : null;

    private static string ModeName(ConsentMode mode) => mode switch
    {
        ConsentMode.Open => "open",
        ConsentMode.Quarantine => "quarantine",
        _ => "consent-required",
    };

    /// <summary>Whether a hosted user exists and is discoverable.</summary>
    public Task<bool> IsDiscoverableAsync(string userUri, CancellationToken ct) => database.ReadAsync(async c =>
    {
        await using var query = c.Command("SELECT 1 FROM hosted_users WHERE user_uri = @u AND deleted_at IS NULL AND discoverable = 1");
        return await query.With("u", userUri).ExecuteScalarAsync(ct) is not null;
    }, ct);
}
