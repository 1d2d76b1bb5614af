using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mimi.Discovery.Server.OperatorConsole;
using Mimi.Discovery.Server.Tests.Authentication;

namespace Mimi.Discovery.Server.Tests.OperatorConsole;

/// <summary>
/// The sign-in body is the one input of the console an anonymous caller controls: random and mutated bodies from a
/// fixed seed never make the parser throw, and over HTTP are always a 4xx problem (never a session, never a 5xx).
/// </summary>
public sealed class SignInFuzzTests
{
    private const int Seed = 20_261_207;

    [Fact]
    public void The_sign_in_body_parses_to_a_token_or_says_why()
    {
        var mutator = new JoseMutator(Seed);
        byte[] valid = Encoding.UTF8.GetBytes("""{"token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""");
        for (var i = 0; i < 5000; i++)
        {
            var bytes = i % 10 == 0 ? RandomBytes(mutator, i) : mutator.Json(valid);
            try
            {
                var ok = SignInBody.TryParse(bytes, out var token, out var error);
                Assert.True(ok ? token is not null : error is { Length: > 0 });
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"iteration {i} (seed {Seed}) threw {e.GetType().Name}: {e.Message}\ninput: {Convert.ToHexString(bytes)}");
            }
        }
    }

    [Fact]
    public async Task Mutated_sign_in_bodies_are_4xx_problems_over_HTTP()
    {
        using var service = new ServiceFactory();
        var http = ConsoleClient.Bare(service);
        var token = await ConsoleClient.LinkTokenAsync(service);
        var valid = Encoding.UTF8.GetBytes($$"""{"token":"{{token}}"}""");
        var mutator = new JoseMutator(Seed + 1);
        for (var i = 0; i < 400; i++)
        {
            var bytes = i % 10 == 0 ? RandomBytes(mutator, i) : mutator.Json(valid);
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var response = await http.PostAsync(new Uri("/console/session", UriKind.Relative), content);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status == 200)
            {
                // Only the unchanged token may open a session (a mutation that kept it, once).
                Assert.Contains(token, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
                continue;
            }

            Assert.True(status is >= 400 and < 500, $"iteration {i}: {status} {body}\ninput: {Convert.ToHexString(bytes)}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"iteration {i} set a cookie");
        }

        var wrongType = new StringContent("token=x", Encoding.UTF8, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync(new Uri("/console/session", UriKind.Relative), wrongType)).StatusCode);
    }

    private static byte[] RandomBytes(JoseMutator mutator, int i)
    {
        var bytes = new byte[mutator.Next(i % 3 == 0 ? 3000 : 80)];
        for (var n = 0; n < bytes.Length; n++)
        {
            bytes[n] = (byte)mutator.Next(256);
        }

        return bytes;
    }
}
