using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Mimi.Discovery.Model;
using Mimi.Discovery.Server.Authentication;

namespace Mimi.Discovery.Benchmarks;

/// <summary>
/// The per-call cost of access-token validation (it sits on the lookup hot path): the service's own JwtBearer
/// validation parameters, next to a bare HMAC-SHA256 of the same bytes and an ECDSA P-256 verification (what an
/// ES256 access token would cost instead).
/// </summary>
internal static class TokenBenchmark
{
    public static async Task RunAsync(TimeSpan duration)
    {
        await using var host = await ServiceHost.StartAsync(null);
        var tokens = host.Services.GetRequiredService<AccessTokens>();
        var (token, _) = tokens.Issue(new ClientEntry("bench.test", ClientRole.Provider, true, ProviderTrust.Standard,
            System.Collections.Frozen.FrozenDictionary<string, ClientKey>.Empty));
        var parameters = host.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var handler = new JsonWebTokenHandler();
        var check = await handler.ValidateTokenAsync(token, parameters);
        if (!check.IsValid || check.ClaimsIdentity.FindFirst("sub")?.Value != "bench.test")
        {
            throw new InvalidOperationException("The benchmark token does not validate: " + check.Exception?.Message);
        }

        var workers = Environment.ProcessorCount;
        var validate = await Measure.RateAsync(async _ => await handler.ValidateTokenAsync(token, parameters), workers, duration);
        var bytes = Encoding.ASCII.GetBytes(token);
        var key = RandomNumberGenerator.GetBytes(32);
        var hmac = Measure.Rate(() => HMACSHA256.HashData(key, bytes), workers, duration);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = ecdsa.SignData(bytes, HashAlgorithmName.SHA256);
        var verify = Measure.Rate(() => ecdsa.VerifyData(bytes, signature, HashAlgorithmName.SHA256), workers, duration);

        Console.WriteLine($"## Access-token validation ({workers} threads)");
        Console.WriteLine();
        Console.WriteLine("| what | per second | µs per call per core | ratio to bare HMAC |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| bare HMAC-SHA256 over the token | {hmac:N0} | {workers * 1e6 / hmac:F2} | 1.00 |");
        Console.WriteLine($"| service token validation (HS256, issuer, audience, lifetime) | {validate:N0} | {workers * 1e6 / validate:F2} | {validate / hmac:F2} |");
        Console.WriteLine($"| ECDSA P-256 verification (an ES256 token's signature alone) | {verify:N0} | {workers * 1e6 / verify:F2} | {verify / hmac:F2} |");
        Console.WriteLine();
    }
}
