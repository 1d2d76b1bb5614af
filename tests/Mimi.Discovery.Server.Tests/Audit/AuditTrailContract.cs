using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Authority;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Audit;

/// <summary>
/// The audit trail through the service, on each database: every administrative act records exactly one event in its
/// own transaction, a failed act none, an act whose event cannot be written does not happen, and each caller reads
/// only what it may. The service hosts <c>beta.test</c>'s users too, so the hosted-user acts are here as well.
/// </summary>
public abstract class AuditTrailContract : IAsyncLifetime
{
    private const string Hosted = "beta.test";

    private readonly string _data = Directory.CreateTempSubdirectory("mimi-audit-").FullName;
    private readonly List<ClientCredentials> _keys = [];
    private CodeGateway _gateway = null!;
    private HttpClient _http = null!;
    private ClientCredentials _operatorKey = null!;

    protected ServiceFactory Service { get; private set; } = null!;

    protected RequestTraces Traces { get; } = new();

    /// <summary>Acts the theory covers: each is done once on a fresh service, after the setup it needs.</summary>
    public static TheoryData<string> Acts =>
    [
        "provider.enrol", "provider.key.add", "provider.key.retire", "provider.suspend", "provider.reinstate", "provider.trust",
        "credential.revoke by provider", "credential.revoke by operator", "quota.set", "settings.set", "mapping.discoverability", "mapping.remove",
        "import.run", "oprf.rotate", "hosted-user.add", "hosted-user.remove", "hosted-client.add", "hosted-client.remove",
    ];

    /// <summary>A PostgreSQL connection string, or null for SQLite.</summary>
    protected abstract Task<string?> DatabaseAsync();

    /// <summary>Makes the database refuse to record <paramref name="action"/> (a trigger that fails the insert).</summary>
    protected abstract Task RefuseAuditAsync(string action);

    public async Task InitializeAsync()
    {
        var providerKey = Path.Combine(_data, "provider.key");
        using (var key = ClientCredentials.GenerateEs256(Hosted))
        {
            key.Save(providerKey);
        }

        _gateway = new CodeGateway();
        var settings = new Dictionary<string, string?>(_gateway.Settings(TimeSpan.FromSeconds(15))) { ["Delivery:Domain"] = Hosted, ["Delivery:ProviderKeyFile"] = providerKey };
        Service = new ServiceFactory(await DatabaseAsync(), settings, dataDirectory: Path.Combine(_data, "service"));
        _http = Service.CreateDefaultClient(Traces);
        _operatorKey = ClientCredentials.Load("operator", Path.Combine(Service.KeyDirectory, "operator.key"));
    }

    public virtual Task DisposeAsync()
    {
        _http.Dispose();
        Service.Dispose();
        _gateway.Dispose();
        foreach (var key in _keys)
        {
            key.Dispose();
        }

        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Acts))]
    public async Task Each_act_records_exactly_one_event_with_its_actor_target_owner_request_and_change(string act)
    {
        var expected = await DoAsync(act, "p");
        var (trace, status) = Traces.Last;
        Assert.InRange(status, 200, 299);

        var events = await AllEventsAsync();

        var recorded = Assert.Single(events, e => e.RequestId == trace);
        Assert.Equal(expected.Action, recorded.Action);
        Assert.Equal((expected.ActorId, expected.Role), (recorded.Actor.Id, recorded.Actor.Role));
        Assert.Equal(expected.Target, recorded.Target);
        Assert.Equal(expected.Owner, recorded.Owner);
        AssertJson(expected.Before, recorded.Before);
        AssertJson(expected.After, recorded.After);
        Assert.InRange(recorded.Time, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(5));
        // The setup's own acts have their own requests: nothing but the act carries its request id.
        Assert.Single(events, e => e.Action == expected.Action && e.Target == expected.Target && e.RequestId == trace);
    }

    [Fact]
    public async Task A_failed_act_records_nothing()
    {
        var op = Operator();
        var (alpha, alphaKey) = await EnrolAsync("alpha.test", trusted: true);
        var serial = (await alpha.IssueCredentialAsync("tel:+15550007001", "mimi://alpha.test/u/a", alphaKey.SubjectPublicKeyInfo, attested: true)).Serial;
        await alpha.RevokeCredentialAsync(serial);
        await op.CreateHostedUserAsync("dora");
        var before = (await AllEventsAsync()).Count;

        var failures = new (string What, Func<Task> Act, int Status)[]
        {
            ("suspend of an unknown provider", () => op.SuspendProviderAsync("nobody.test"), 404),
            ("reinstate of an unknown provider", () => op.ReinstateProviderAsync("nobody.test"), 404),
            ("trust of an unknown provider", () => op.SetProviderTrustAsync("nobody.test", true), 404),
            ("a second enrolment", () => op.EnrolProviderAsync("alpha.test", "ops@alpha.test", [alphaKey.PublicJwk]), 409),
            ("a duplicate key", () => op.AddProviderKeyAsync("alpha.test", alphaKey.PublicJwk), 409),
            ("retiring an unknown key", () => op.RetireProviderKeyAsync("alpha.test", "no-such-kid"), 404),
            ("a second revocation", () => alpha.RevokeCredentialAsync(serial), 409),
            ("discoverability of an unknown mapping", () => alpha.SetDiscoverabilityAsync("0a0b0c0d0e0f", "nobody"), 404),
            ("a quota out of range", () => alpha.SetQuotasAsync(new OwnerQuotas(-1, null, null, null, 60)), 400),
            ("a second hosted user of one name", () => op.CreateHostedUserAsync("dora"), 409),
            ("a client of an unknown user", () => op.AddHostedClientAsync("nobody", "phone", alphaKey.PublicJwk), 404),
            ("removing an unknown client", () => op.RemoveHostedClientAsync("nothing"), 404),
        };
        foreach (var (what, act, status) in failures)
        {
            var refused = await Assert.ThrowsAsync<MimiApiException>(act);
            Assert.True(refused.Status == status, $"{what}: {refused.Status}");
            var trace = Traces.Last.TraceId;
            Assert.DoesNotContain(await AllEventsAsync(), e => e.RequestId == trace);
        }

        Assert.Equal(before, (await AllEventsAsync()).Count);
    }

    [Fact]
    public async Task An_act_whose_event_the_database_refuses_does_not_happen()
    {
        var op = Operator();
        var (alpha, alphaKey) = await EnrolAsync("alpha.test", trusted: true);
        var serial = (await alpha.IssueCredentialAsync("tel:+15550007002", "mimi://alpha.test/u/a", alphaKey.SubjectPublicKeyInfo, attested: true)).Serial;
        await RefuseAuditAsync("provider.suspend");
        await RefuseAuditAsync("credential.revoke");
        await RefuseAuditAsync("hosted-user.add");
        var size = (await op.GetCheckpointAsync()).Split('\n')[1];

        var suspend = await Assert.ThrowsAsync<MimiApiException>(() => op.SuspendProviderAsync("alpha.test"));
        var revoke = await Assert.ThrowsAsync<MimiApiException>(() => alpha.RevokeCredentialAsync(serial, "keyCompromise"));
        var user = await Assert.ThrowsAsync<MimiApiException>(() => op.CreateHostedUserAsync("erin"));

        Assert.All(new[] { suspend, revoke, user }, e => Assert.True(e.Status >= 500, e.Message));
        Assert.Equal("active", (await op.ListProvidersAsync()).Single(p => p.Domain == "alpha.test").Status);
        // The provider's token still works: the suspension (which ends tokens) did not commit.
        Assert.NotEmpty((await alpha.LookupAsync(["tel:+15550007002"])).Results[0].Mappings);
        Assert.Null((await alpha.GetCredentialAsync(serial)).RevokedAt);
        Assert.Equal(size, (await op.GetCheckpointAsync()).Split('\n')[1]);
        Assert.DoesNotContain(await op.ListHostedUsersAsync(), u => u.User.EndsWith("/u/erin", StringComparison.Ordinal));
        Assert.DoesNotContain(await AllEventsAsync(), e => e.Action is "provider.suspend" or "credential.revoke" or "hosted-user.add");
    }

    [Fact]
    public async Task The_operator_reads_every_act_a_provider_only_those_about_itself_and_a_hosted_client_none()
    {
        var op = Operator();
        var (alpha, _) = await EnrolAsync("alpha.test");
        var (gamma, _) = await EnrolAsync("gamma.test");
        await op.SuspendProviderAsync("alpha.test");
        await op.ReinstateProviderAsync("alpha.test");
        await gamma.SetQuotasAsync(new OwnerQuotas(5, null, null, null, 60));
        await op.CreateHostedUserAsync("fay");
        using var phone = Key("mimi://beta.test/d/fay-phone");
        await op.AddHostedClientAsync("fay", "fay-phone", phone.PublicJwk);

        var all = await AllEventsAsync();
        var alphas = await AllEventsAsync(alpha);
        var sneaky = await alpha.GetAuditEventsAsync(new AuditEventFilter(Target: "provider:gamma.test"));

        Assert.Contains(all, e => e.Owner == "gamma.test");
        Assert.Contains(all, e => e.Action == "hosted-client.add");
        Assert.Equal(["provider.reinstate", "provider.suspend", "provider.enrol"], alphas.Select(e => e.Action));
        Assert.All(alphas, e => Assert.Equal("alpha.test", e.Owner));
        Assert.Empty(sneaky.Events);
        var client = new MimiDiscoveryClient(_http, phone);
        Assert.Equal(403, (await Assert.ThrowsAsync<MimiApiException>(() => client.GetAuditEventsAsync())).Status);
        using var stranger = new HttpRequestMessage(HttpMethod.Get, "/v1/audit-events");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(stranger)).StatusCode);
    }

    [Fact]
    public async Task Filters_select_and_pages_follow_next_newest_first()
    {
        var op = Operator();
        await EnrolAsync("alpha.test");
        var (gamma, _) = await EnrolAsync("gamma.test");
        var middle = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        for (var i = 0; i < 3; i++)
        {
            await op.SuspendProviderAsync("alpha.test");
            await op.ReinstateProviderAsync("alpha.test");
        }

        await gamma.SetQuotasAsync(new OwnerQuotas(5, null, null, null, 60));

        var pages = new List<AuditEventsPage>();
        string? after = null;
        do
        {
            var page = await op.GetAuditEventsAsync(new AuditEventFilter(Limit: 3), after);
            pages.Add(page);
            after = page.Next;
        }
        while (after is not null);

        var paged = pages.SelectMany(p => p.Events).ToList();
        Assert.Equal(9, paged.Count);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(3, p.Events.Length));
        Assert.Equal(paged.Select(e => e.Id).OrderDescending(), paged.Select(e => e.Id));
        Assert.Equal(["quota.set", "provider.reinstate"], paged.Take(2).Select(e => e.Action));

        Assert.Equal(3, (await op.GetAuditEventsAsync(new AuditEventFilter(Action: "provider.suspend"))).Events.Length);
        Assert.Equal(["quota.set"], (await op.GetAuditEventsAsync(new AuditEventFilter(Actor: "gamma.test"))).Events.Select(e => e.Action));
        Assert.Equal(7, (await op.GetAuditEventsAsync(new AuditEventFilter(Target: "provider:alpha.test"))).Events.Length);
        var since = await op.GetAuditEventsAsync(new AuditEventFilter(Since: middle));
        Assert.Equal(7, since.Events.Length);
        var until = await op.GetAuditEventsAsync(new AuditEventFilter(Until: middle));
        Assert.Equal(["provider.enrol", "provider.enrol"], until.Events.Select(e => e.Action));
        Assert.Equal(since.Events.Length + until.Events.Length, paged.Count);
        Assert.Single(await AllEventsAsync(op, new AuditEventFilter(Action: "provider.enrol", Target: "provider:gamma.test", Actor: "operator")));
    }

    [Theory]
    [InlineData("since=yesterday", "since")]
    [InlineData("since=2026-12-07", "since")]
    [InlineData("until=2026-12-07T20:00:00", "until")]
    [InlineData("until=2026-12-07T20:00:00Z%0A", "until")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("action=provider.explode", "action")]
    [InlineData("after=abc", "after")]
    [InlineData("after=-5", "after")]
    [InlineData("actor=", "actor")]
    public async Task A_bad_filter_is_a_problem_naming_its_parameter(string query, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/audit-events?" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Operator().GetAccessTokenAsync());

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:mimi-discovery:problem:invalid-request", problem.GetProperty("type").GetString());
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task No_secret_of_a_full_workload_appears_in_any_event()
    {
        var expected = new List<Expected>();
        foreach (var act in Acts)
        {
            expected.Add(await DoAsync(act, "w" + expected.Count));
        }

        // Proof of control by code too: the code must never reach the trail.
        var (coded, codedKey) = await EnrolAsync("coded.test");
        var challenge = await coded.CreateChallengeAsync("tel:+15550009999", "mimi://coded.test/u/c");
        var code = _gateway.LastCodeFor("tel:+15550009999");
        await coded.IssueCredentialAsync("tel:+15550009999", "mimi://coded.test/u/c", codedKey.SubjectPublicKeyInfo, challengeId: challenge.ChallengeId, code: code);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/audit-events?limit=500");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Operator().GetAccessTokenAsync());
        var trail = await (await _http.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.All(expected, e => Assert.Contains($"\"action\":\"{e.Action}\"", trail, StringComparison.Ordinal));
        var secrets = new List<string> { code };
        foreach (var key in _keys.Append(_operatorKey))
        {
            var file = Path.Combine(_data, "secret-" + Guid.NewGuid().ToString("N"));
            key.Save(file);
            secrets.AddRange(PemBody(await File.ReadAllTextAsync(file)));
            try
            {
                secrets.Add(await new MimiDiscoveryClient(_http, key).GetAccessTokenAsync());
            }
            catch (MimiApiException)
            {
                // A key that gets no token (retired, or a hosted client's key under another id) has none to leak.
            }
        }

        foreach (var file in new[] { "token-signing.key", "code-hash.key", "log-signing.key", "assertion-signing.key" })
        {
            var path = Path.Combine(Service.KeyDirectory, file);
            if (File.Exists(path))
            {
                secrets.AddRange(PemBody(await File.ReadAllTextAsync(path)));
            }
        }

        Assert.All(secrets.Where(s => s.Length >= 16), secret => Assert.DoesNotContain(secret, trail, StringComparison.Ordinal));
        Assert.DoesNotContain("\"d\"", trail, StringComparison.Ordinal);
        Assert.DoesNotContain(code, trail, StringComparison.Ordinal);
        // Identifiers are not administrative facts: no act records one.
        Assert.DoesNotContain("tel:", trail, StringComparison.Ordinal);
        Assert.DoesNotContain("mailto:", trail, StringComparison.Ordinal);
    }

    private sealed record Expected(string Action, string ActorId, string Role, string Target, string? Owner, string? Before, string? After);

    /// <summary>Does <paramref name="act"/> (its setup first, on names starting with <paramref name="prefix"/>) and says what the trail must show.</summary>
    private async Task<Expected> DoAsync(string act, string prefix)
    {
        var op = Operator();
        var domain = $"{prefix}-{act.Replace('.', '-').Replace(' ', '-')}.test";
        var number = "+1555" + (Math.Abs(StringComparer.Ordinal.GetHashCode(domain)) % 10_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        var target = "provider:" + domain;
        switch (act)
        {
            case "provider.enrol":
                {
                    var key = Key(domain);
                    await op.EnrolProviderAsync(domain, "ops@" + domain, [key.PublicJwk]);
                    return new(act, "operator", "operator", target, domain, null,
                        $$"""{"status":"active","trust":"standard","keys":[{"kid":"{{key.KeyId}}","thumbprint":"{{key.KeyId}}"}]}""");
                }

            case "provider.key.add":
                {
                    await EnrolAsync(domain);
                    var second = Key(domain);
                    await op.AddProviderKeyAsync(domain, second.PublicJwk);
                    return new(act, "operator", "operator", target, domain, null, $$"""{"kid":"{{second.KeyId}}","thumbprint":"{{second.KeyId}}"}""");
                }

            case "provider.key.retire":
                {
                    var (_, first) = await EnrolAsync(domain);
                    await op.AddProviderKeyAsync(domain, Key(domain).PublicJwk);
                    await op.RetireProviderKeyAsync(domain, first.KeyId);
                    return new(act, "operator", "operator", target, domain, $$"""{"kid":"{{first.KeyId}}","thumbprint":"{{first.KeyId}}"}""", null);
                }

            case "provider.suspend":
                await EnrolAsync(domain);
                await op.SuspendProviderAsync(domain);
                return new(act, "operator", "operator", target, domain, """{"status":"active"}""", """{"status":"suspended"}""");

            case "provider.reinstate":
                await EnrolAsync(domain);
                await op.SuspendProviderAsync(domain);
                await op.ReinstateProviderAsync(domain);
                return new(act, "operator", "operator", target, domain, """{"status":"suspended"}""", """{"status":"active"}""");

            case "provider.trust":
                await EnrolAsync(domain);
                await op.SetProviderTrustAsync(domain, true);
                return new(act, "operator", "operator", target, domain, """{"trust":"standard"}""", """{"trust":"trusted"}""");

            case "credential.revoke by provider" or "credential.revoke by operator":
                {
                    var (provider, key) = await EnrolAsync(domain, trusted: true);
                    var serial = (await provider.IssueCredentialAsync("tel:" + number, $"mimi://{domain}/u/a", key.SubjectPublicKeyInfo, attested: true)).Serial;
                    var byOperator = act.EndsWith("operator", StringComparison.Ordinal);
                    var revoked = await (byOperator ? op : provider).RevokeCredentialAsync(serial, "keyCompromise");
                    return new("credential.revoke", byOperator ? "operator" : domain, byOperator ? "operator" : "provider", "credential:" + serial, domain,
                        """{"status":"active"}""", $$"""{"status":"revoked","reason":"keyCompromise","logIndex":{{revoked.RevocationLogIndex}}}""");
                }

            case "quota.set":
                {
                    var (provider, _) = await EnrolAsync(domain);
                    await provider.SetQuotasAsync(new OwnerQuotas(10, null, 5, null, 3600));
                    return new(act, domain, "provider", target, domain, null,
                        """{"lookupsPerRequester":10,"lookupsTotal":null,"claimsPerRequester":5,"claimsTotal":null,"windowSeconds":3600}""");
                }

            case "settings.set":
                {
                    var (provider, _) = await EnrolAsync(domain);
                    await provider.SetKeyMaterialUrlAsync($"https://{domain}/keys/{{targetUser}}");
                    return new(act, domain, "provider", target, domain, """{"keyMaterialUrl":null}""",
                        $$$"""{"keyMaterialUrl":"https://{{{domain}}}/keys/{targetUser}"}""");
                }

            case "mapping.discoverability" or "mapping.remove":
                {
                    var (provider, key) = await EnrolAsync(domain, trusted: true);
                    var serial = (await provider.IssueCredentialAsync("tel:" + number, $"mimi://{domain}/u/a", key.SubjectPublicKeyInfo, attested: true)).Serial;
                    if (act == "mapping.remove")
                    {
                        await provider.RemoveMappingAsync(serial);
                        return new(act, domain, "provider", "mapping:" + serial, domain, """{"removed":false}""", """{"removed":true}""");
                    }

                    await provider.SetDiscoverabilityAsync(serial, "providers", ["other.test"]);
                    return new(act, domain, "provider", "mapping:" + serial, domain, """{"mode":"everyone","providers":[]}""",
                        """{"mode":"providers","providers":["other.test"]}""");
                }

            case "import.run":
                {
                    var (provider, key) = await EnrolAsync(domain, trusted: true);
                    var publicKey = Convert.ToBase64String(key.SubjectPublicKeyInfo);
                    var rows = ImportTests.Row("tel:" + number, $"mimi://{domain}/u/a", publicKey) + "\nnot json\n"
                        + ImportTests.Row("mailto:b@" + domain, $"mimi://{domain}/u/b", publicKey) + "\n";
                    var result = await provider.ImportAsync(ImportTests.Ndjson(rows), prefix + "-import-1", 1);
                    Assert.Equal((2, 1), (result.Imported, result.Rejected));
                    return new(act, domain, "provider", $"import:{prefix}-import-1", domain, null,
                        """{"imported":2,"rejected":1,"skipped":0,"lastLine":3,"complete":true}""");
                }

            case "oprf.rotate":
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/lookup/private/rotate");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await op.GetAccessTokenAsync());
                    using var response = await _http.SendAsync(request);
                    var rotation = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    return new(act, "operator", "operator", "oprf-key", null, $$"""{"keyId":"{{rotation.GetProperty("servingKeyId").GetString()}}"}""",
                        $$"""{"keyId":"{{rotation.GetProperty("keyId").GetString()}}"}""");
                }

            case "hosted-user.add":
                await op.CreateHostedUserAsync(prefix + "-carol", "open");
                return new(act, "operator", "operator", $"user:mimi://{Hosted}/u/{prefix}-carol", Hosted, null, """{"consentMode":"open"}""");

            case "hosted-user.remove":
                await op.CreateHostedUserAsync(prefix + "-dan", "quarantine");
                await op.AddHostedClientAsync(prefix + "-dan", prefix + "-dan-phone", Key("phone").PublicJwk);
                await op.DeleteHostedUserAsync(prefix + "-dan");
                return new(act, "operator", "operator", $"user:mimi://{Hosted}/u/{prefix}-dan", Hosted, """{"consentMode":"quarantine","clients":1}""", null);

            case "hosted-client.add" or "hosted-client.remove":
                {
                    await op.CreateHostedUserAsync(prefix + "-eve", "open");
                    var phone = Key("phone");
                    await op.AddHostedClientAsync(prefix + "-eve", prefix + "-eve-phone", phone.PublicJwk);
                    var change = $$$"""{"user":"mimi://{{{Hosted}}}/u/{{{prefix}}}-eve","key":{"kid":"{{{phone.KeyId}}}","thumbprint":"{{{phone.KeyId}}}"}}""";
                    var client = $"client:mimi://{Hosted}/d/{prefix}-eve-phone";
                    if (act == "hosted-client.add")
                    {
                        return new(act, "operator", "operator", client, Hosted, null, change);
                    }

                    await op.RemoveHostedClientAsync(prefix + "-eve-phone");
                    return new(act, "operator", "operator", client, Hosted, change, null);
                }

            default:
                throw new ArgumentException("No such act: " + act, nameof(act));
        }
    }

    private MimiDiscoveryClient Operator() => new(_http, _operatorKey);

    private ClientCredentials Key(string clientId)
    {
        var key = ClientCredentials.GenerateEs256(clientId);
        _keys.Add(key);
        return key;
    }

    private async Task<(MimiDiscoveryClient Client, ClientCredentials Key)> EnrolAsync(string domain, bool trusted = false)
    {
        var key = Key(domain);
        await Operator().EnrolProviderAsync(domain, "ops@" + domain, [key.PublicJwk], trusted);
        return (new MimiDiscoveryClient(_http, key), key);
    }

    private Task<List<AuditEventInfo>> AllEventsAsync(MimiDiscoveryClient? reader = null, AuditEventFilter? filter = null) =>
        (reader ?? Operator()).ListAuditEventsAsync(filter ?? new AuditEventFilter(Limit: 500)).ToListAsync().AsTask();

    private static void AssertJson(string? expected, JsonElement? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        using var wanted = JsonDocument.Parse(expected);
        Assert.True(JsonElement.DeepEquals(wanted.RootElement, actual.Value), $"expected {expected}, got {actual.Value.GetRawText()}");
    }

    private static IEnumerable<string> PemBody(string pem) =>
        pem.Split('\n').Where(line => line.Length >= 16 && !line.StartsWith("-----", StringComparison.Ordinal)).Select(line => line.Trim());
}
