using System.Security.Cryptography;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>
/// A TypeScript client generated from the live <c>/openapi/v1.json</c> (tests/peers/openapi: openapi-typescript,
/// openapi-fetch), type-checked by tsc in strict mode and run against the service.
/// </summary>
public sealed class OpenApiClientTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mimi-openapi-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Regression_a_client_generated_from_the_openapi_document_did_not_compile_it_now_calls_public_and_authenticated_routes()
    {
        var peer = Tools.Peer("openapi");
        var port = LoopbackPorts.FreeTcpPort();
        var url = $"http://127.0.0.1:{port}";
        using var service = new ServiceFactory(settings: new Dictionary<string, string?> { ["Authority:Issuer"] = url });
        service.UseKestrel(port);
        service.StartServer();
        var (beta, _) = await service.EnrolAsync("beta.test", trusted: true);
        using var bob = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await beta.IssueCredentialAsync("tel:+15550001111", "mimi://beta.test/u/bob", bob.ExportSubjectPublicKeyInfo(), attested: true);
        var token = await service.Operator().GetAccessTokenAsync();

        File.Copy(Path.Combine(peer, "client.mts"), Path.Combine(_work, "client.mts"));
        File.Copy(Path.Combine(peer, "tsconfig.json"), Path.Combine(_work, "tsconfig.json"));
        Directory.CreateSymbolicLink(Path.Combine(_work, "node_modules"), Path.Combine(peer, "node_modules"));
        await NodeAsync($"node_modules/openapi-typescript/bin/cli.js {url}/openapi/v1.json -o schema.d.ts");
        await NodeAsync("node_modules/typescript/bin/tsc -p .");
        var output = await NodeAsync($"out/client.mjs {url} {token} beta.test");

        Assert.Contains("\"size\":1", output, StringComparison.Ordinal);
        Assert.Contains("\"problem\":\"urn:mimi-discovery:problem:unauthenticated\"", output, StringComparison.Ordinal);
    }

    private async Task<string> NodeAsync(string arguments)
    {
        var (code, output) = await Tools.RunAsync("node", arguments, _work);
        Assert.True(code == 0, $"node {arguments} exited {code}:\n{output}");
        return output;
    }
}
