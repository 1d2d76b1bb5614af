namespace Mimi.Discovery.Authority.Tests.Support;

/// <summary>panva/jose (tests/peers/jose) as an independent JWS verifier.</summary>
public static class JosePeer
{
    public static ToolResult Verify(TempDirectory directory, JwksDocument jwks, string token, string issuer)
    {
        var peer = Path.Combine(ExternalTool.RepositoryRoot(), "tests", "peers", "jose");
        if (!Directory.Exists(Path.Combine(peer, "node_modules", "jose")))
        {
            Assert.Fail($"The jose peer is not installed: '{peer}/node_modules' is missing. Run the project's test setup (it runs 'npm ci' in tests/peers/jose).");
        }

        var jwksPath = directory.File("jwks-" + Guid.NewGuid().ToString("N") + ".json");
        var tokenPath = directory.File("token-" + Guid.NewGuid().ToString("N") + ".jws");
        File.WriteAllText(jwksPath, jwks.ToJson());
        File.WriteAllText(tokenPath, token);
        return ExternalTool.Run("node", peer, "verify.mjs", jwksPath, tokenPath, issuer);
    }
}
