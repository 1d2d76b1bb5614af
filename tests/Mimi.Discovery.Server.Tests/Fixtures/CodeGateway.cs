using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>
/// Stands in for an SMS/email gateway (a party that cannot run here): records the codes the service sends and can
/// answer slowly, with 5xx, or with garbage.
/// </summary>
public sealed class CodeGateway : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public CodeGateway() => Accept();

    public string Url => _server.Url + "/send";

    public IDictionary<string, string?> Settings(TimeSpan? timeout = null) => new Dictionary<string, string?>
    {
        ["ProofOfControl:Gateway"] = "Http",
        ["ProofOfControl:Http:Url"] = Url,
        ["ProofOfControl:Http:ApiKey"] = "gateway-secret",
        ["ProofOfControl:Http:Timeout"] = (timeout ?? TimeSpan.FromSeconds(2)).ToString(),
    };

    public void Accept() => Respond(Response.Create().WithStatusCode(200).WithBody("""{"id":"msg-1"}"""));

    public void Fail() => Respond(Response.Create().WithStatusCode(503));

    public void Garble() => Respond(Response.Create().WithStatusCode(200).WithBody("<html>ok</html>"));

    public void Hang(TimeSpan delay) => Respond(Response.Create().WithStatusCode(200).WithBody("""{"id":"late"}""").WithDelay(delay));

    /// <summary>The code most recently sent to <paramref name="sii"/>.</summary>
    public string LastCodeFor(string sii) => Sent().Last(m => m.GetProperty("to").GetString() == sii).GetProperty("code").GetString()!;

    public IReadOnlyList<JsonElement> Sent() => _server.LogEntries
        .Where(e => e.RequestMessage.Path == "/send" && e.RequestMessage.Body is not null)
        .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.Clone())
        .ToList();

    public IEnumerable<string?> AuthorizationHeaders() =>
        _server.LogEntries.Select(e => e.RequestMessage.Headers?.TryGetValue("Authorization", out var v) == true ? v.ToString() : null);

    public void Dispose() => _server.Dispose();

    private void Respond(IResponseBuilder response)
    {
        _server.ResetMappings();
        _server.Given(Request.Create().WithPath("/send").UsingPost()).RespondWith(response);
    }
}
