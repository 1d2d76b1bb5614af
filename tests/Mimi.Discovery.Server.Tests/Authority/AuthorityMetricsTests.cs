using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Fixtures;

namespace Mimi.Discovery.Server.Tests.Authority;

/// <summary>The authority's counters move with real challenges, issuances, revocations and an import, tagged without identifiers.</summary>
public sealed class AuthorityMetricsTests : IDisposable
{
    private readonly CodeGateway _gateway = new();
    private readonly ServiceFactory _service;
    private readonly ClientCredentials _userKey = ClientCredentials.GenerateEs256("u");

    // A generous gateway timeout: a shared machine must not turn the code that is sent into one that failed.
    public AuthorityMetricsTests() => _service = new ServiceFactory(settings: _gateway.Settings(TimeSpan.FromSeconds(30)));

    public void Dispose()
    {
        _service.Dispose();
        _gateway.Dispose();
        _userKey.Dispose();
    }

    [Fact]
    public async Task Challenges_issuances_revocations_and_import_rows_are_counted_by_gateway_attestation_and_actor()
    {
        using var recorder = new InstrumentRecorder(_service.Services);
        var (beta, _) = await _service.EnrolAsync("beta.test");
        var (gamma, _) = await _service.EnrolAsync("gamma.test", trusted: true);

        var challenge = await beta.CreateChallengeAsync("tel:+15550006001", "mimi://beta.test/u/bob");
        var coded = await beta.IssueCredentialAsync("tel:+15550006001", "mimi://beta.test/u/bob", _userKey.SubjectPublicKeyInfo, null,
            challenge.ChallengeId, _gateway.LastCodeFor("tel:+15550006001"));
        _gateway.Fail();
        var failed = await Assert.ThrowsAsync<MimiApiException>(() => beta.CreateChallengeAsync("tel:+15550006002", "mimi://beta.test/u/carol"));
        var attested = await gamma.IssueCredentialAsync("tel:+15550006003", "mimi://gamma.test/u/dan", _userKey.SubjectPublicKeyInfo, attested: true);
        await gamma.RevokeCredentialAsync(attested.Serial);
        await _service.Operator().RevokeCredentialAsync(coded.Serial);
        var key = Convert.ToBase64String(_userKey.SubjectPublicKeyInfo);
        var import = await gamma.ImportAsync(ImportTests.Ndjson(string.Join("\n",
            ImportTests.Row("tel:+15550006004", "mimi://gamma.test/u/e", key), "{not json", ImportTests.Row("tel:+15550006005", "mimi://gamma.test/u/f", key))));

        Assert.Equal(502, failed.Status);
        Assert.Equal((2, 1), (import.Imported, import.Rejected));
        Assert.Equal(1, recorder.Sum("mimi.authority.challenges", ("mimi.gateway", "http"), ("mimi.challenge.outcome", "sent")));
        Assert.Equal(1, recorder.Sum("mimi.authority.challenges", ("mimi.gateway", "http"), ("mimi.challenge.outcome", "failed")));
        Assert.Equal(1, recorder.Sum("mimi.authority.issuances", ("mimi.attestation", "one-time-code")));
        Assert.Equal(3, recorder.Sum("mimi.authority.issuances", ("mimi.attestation", "provider"))); // one attested, two imported
        Assert.Equal(1, recorder.Sum("mimi.authority.revocations", ("mimi.attestation", "provider"), ("mimi.revoked_by", "provider")));
        Assert.Equal(1, recorder.Sum("mimi.authority.revocations", ("mimi.attestation", "one-time-code"), ("mimi.revoked_by", "operator")));
        Assert.Equal(2, recorder.Sum("mimi.import.rows", ("mimi.import.outcome", "accepted"), ("mimi.requester", "gamma.test")));
        Assert.Equal(1, recorder.Sum("mimi.import.rows", ("mimi.import.outcome", "rejected"), ("mimi.requester", "gamma.test")));
        TagValues.AssertBounded(recorder.Measurements, ["beta.test", "gamma.test"]);
    }
}
