using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Authentication;

namespace Mimi.Discovery.Server.Tests.Authentication;

/// <summary>
/// Every parser of JOSE and JSON input from outside, fed random and mutated inputs from a fixed seed: none may throw
/// anything but the exception it documents (<see cref="FormatException"/> for a JWK set), and over HTTP every answer
/// is a 4xx problem. A failure prints the seed, the iteration and the input.
/// </summary>
public sealed class UntrustedInputFuzzTests
{
    private const int Seed = 20_251_107;
    private const int Iterations = 3000;
    private static readonly string[] Claims = ["alg", "kid", "typ", "crit", "iss", "sub", "aud", "jti", "htm", "htu", "bh", "exp", "iat", "nbf", "x", "y", "d"];

    [Fact]
    public void Compact_JWS_parts_decode_to_readable_objects_or_to_false()
    {
        using var credentials = ClientCredentials.GenerateEs256("alpha.test");
        var valid = credentials.CreateAssertion("http://localhost/oauth2/token", DateTimeOffset.UtcNow);
        var mutator = new JoseMutator(Seed);
        for (var i = 0; i < Iterations; i++)
        {
            var token = mutator.Jws(valid);
            Run(i, token, () =>
            {
                foreach (var part in token.Split('.').Take(2))
                {
                    if (!CompactJws.TryDecodeJson(part, out var document))
                    {
                        continue;
                    }

                    using (document)
                    {
                        foreach (var claim in Claims)
                        {
                            _ = UntrustedJson.Text(document.RootElement, claim);
                            _ = CompactJws.TryTime(document.RootElement, claim, out _);
                        }

                        ReadEverything(document.RootElement);
                    }
                }
            });
        }
    }

    [Fact]
    public void Client_keys_parse_or_say_why_from_text_and_from_framework_bound_elements()
    {
        using var es256 = ClientCredentials.GenerateEs256("alpha.test");
        using var ed25519 = ClientCredentials.GenerateEd25519("alpha.test");
        byte[][] valid = [Encoding.UTF8.GetBytes(es256.PublicJwk), Encoding.UTF8.GetBytes(ed25519.PublicJwk)];
        var mutator = new JoseMutator(Seed + 1);
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = mutator.Json(valid[i % 2]);
            Run(i, Convert.ToHexString(bytes), () =>
            {
                var text = Encoding.UTF8.GetString(bytes);
                Assert.True(ClientKey.TryParse(text, out _, out var error) || error.Length > 0);

                // The framework binds a JsonElement with the reader's defaults and reads no string of it.
                JsonDocument bound;
                try
                {
                    bound = JsonDocument.Parse(bytes);
                }
                catch (JsonException)
                {
                    return;
                }

                using (bound)
                {
                    Assert.True(ClientKey.TryParse(bound.RootElement, out _, out var boundError) || boundError.Length > 0);
                }
            });
        }
    }

    [Fact]
    public void Untrusted_json_accepts_only_documents_whose_every_name_and_string_reads()
    {
        var mutator = new JoseMutator(Seed + 2);
        var valid = Encoding.UTF8.GetBytes("""{"alg":"ES256","kid":"k1","nested":{"list":["a","b",{"c":"d"}]},"n":1}""");
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = mutator.Json(valid);
            Run(i, Convert.ToHexString(bytes), () =>
            {
                if (UntrustedJson.TryParse(bytes, out var document))
                {
                    using (document)
                    {
                        ReadEverything(document.RootElement);
                    }
                }
            });
        }
    }

    [Fact]
    public void Mapping_assertions_verify_to_a_status_and_jwk_sets_parse_or_throw_FormatException()
    {
        using var ring = MappingAssertionKeyRing.Generate();
        var signer = new MappingAssertionSigner("https://authority.test", ring);
        var now = DateTimeOffset.UtcNow;
        var valid = signer.Sign(new MappingAssertionClaims("tel:+15550001111", "mimi://beta.test/u/bob", "beta.test", ["mobile"],
            now, now.AddDays(1), 7, "0a1b"));
        using var verifier = new MappingAssertionVerifier(ring.Jwks, "https://authority.test");
        Assert.True(verifier.Verify(valid, now).IsValid);
        var jwks = ring.Jwks.ToUtf8Json();
        var mutator = new JoseMutator(Seed + 3);
        for (var i = 0; i < Iterations; i++)
        {
            var token = mutator.Jws(valid);
            Run(i, token, () => verifier.Verify(token, now));

            var set = mutator.Json(jwks);
            Run(i, Convert.ToHexString(set), () =>
            {
                JwksDocument parsed;
                try
                {
                    parsed = JwksDocument.Parse(set);
                }
                catch (FormatException)
                {
                    return;
                }

                using var fromSet = new MappingAssertionVerifier(parsed, "https://authority.test");
            });
        }
    }

    [Fact]
    public void Directory_documents_from_peers_parse_to_a_status()
    {
        var valid = Encoding.UTF8.GetBytes("""{"keyMaterial":"https://mimi.beta.test/keyMaterial/{targetUser}","notify":"https://mimi.beta.test/notify/{roomId}","x":1}""");
        var mutator = new JoseMutator(Seed + 4);
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = mutator.Json(valid);
            Run(i, Convert.ToHexString(bytes), () =>
                DirectoryDocument.Parse(bytes, new Uri("https://beta.test/.well-known/mimi-protocol-directory"), ["mimi.beta.test"], allowHttp: false));
        }
    }

    [Fact]
    public async Task Client_assertions_bearer_tokens_and_Mimi_Peer_tokens_over_HTTP_are_refused_with_4xx_problems()
    {
        using var hosted = new Hosting.HostedProviderService();
        var service = hosted.Service;
        var (_, alpha) = await service.EnrolAsync("alpha.test");
        var http = service.CreateClient();
        var validator = service.Services.GetRequiredService<ClientAssertionValidator>();
        var now = DateTimeOffset.UtcNow;
        var assertion = alpha.CreateAssertion("http://localhost/oauth2/token", now);
        const string path = "/mimi/v1/identifierQuery/beta.test";
        var peerToken = PeerRequestToken.Create(alpha, "beta.test", "POST", path, [], now);
        var mutator = new JoseMutator(Seed + 5);

        // The validator directly (fast), then the HTTP entry points: the token endpoint, a bearer token, the Mimi-Peer scheme.
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = mutator.Jws(assertion);
            await RunAsync(i, mutated, () => validator.ValidateAsync(mutated, null, "http://localhost/oauth2/token", CancellationToken.None));
        }

        for (var i = 0; i < 200; i++)
        {
            var mutated = mutator.Jws(assertion);
            var token = await http.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = mutated,
            }));
            await AssertProblemAsync(i, mutated, token);

            using var bearer = new HttpRequestMessage(HttpMethod.Get, "/v1/providers/me");
            bearer.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ToAscii(mutated));
            await AssertProblemAsync(i, mutated, await http.SendAsync(bearer));

            // A header value must be visible ASCII; what is not, the client library refuses to send.
            var peer = ToAscii(mutator.Jws(peerToken));
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent([]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Headers.TryAddWithoutValidation("Authorization", PeerRequestToken.Scheme + " " + peer);
            await AssertProblemAsync(i, peer, await http.SendAsync(request));
        }
    }

    private static async Task AssertProblemAsync(int iteration, string input, HttpResponseMessage response)
    {
        // A mutation may leave a token valid (a flipped padding bit of the signature): then it is simply accepted.
        var status = (int)response.StatusCode;
        Assert.True(status < 300 || (status is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "application/problem+json"),
            $"iteration {iteration} (seed {Seed}): {status} {response.Content.Headers.ContentType} for {input}: {await response.Content.ReadAsStringAsync()}");
    }

    private static string ToAscii(string text) => new([.. text.Where(c => c is > ' ' and < '\x7f')]);

    /// <summary>Reads every name and string, as code after the parser may.</summary>
    private static void ReadEverything(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                _ = element.ValueEquals("ES256");
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ReadEverything(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    _ = property.NameEquals("alg");
                    ReadEverything(property.Value);
                }

                break;
        }
    }

    private static void Run(int iteration, string input, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"iteration {iteration} (seed {Seed}) threw {e.GetType().Name}: {e.Message}\ninput: {input}");
        }
    }

    private static async Task RunAsync(int iteration, string input, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"iteration {iteration} (seed {Seed}) threw {e.GetType().Name}: {e.Message}\ninput: {input}");
        }
    }
}
