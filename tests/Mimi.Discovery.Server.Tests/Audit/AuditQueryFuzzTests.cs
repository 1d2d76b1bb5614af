using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Mimi.Discovery.Server.Tests.Audit;

/// <summary>
/// The audit trail's query, fed random and mutated parameters from a fixed seed: every answer is a 200 page or a 400
/// problem naming a parameter, never anything else. A failure prints the seed, the iteration and the query.
/// </summary>
public sealed class AuditQueryFuzzTests : IDisposable
{
    private const int Seed = 20_261_207;
    private const int Iterations = 600;
    private static readonly string[] Names = ["actor", "target", "action", "since", "until", "limit", "after"];
    private static readonly string[] Valid =
        ["operator", "provider:alpha.test", "provider.suspend", "2026-12-07T20:00:00Z", "2026-12-07T20:00:00.5+01:00", "100", "7"];

    private readonly ServiceFactory _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Random_and_mutated_queries_get_a_page_or_a_problem_naming_a_parameter()
    {
        var op = _service.Operator();
        await _service.EnrolAsync("alpha.test");
        await op.SuspendProviderAsync("alpha.test");
        using var http = _service.CreateClient();
        var token = await op.GetAccessTokenAsync();
        var random = new Random(Seed);
        for (var i = 0; i < Iterations; i++)
        {
            var query = new StringBuilder();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                var which = random.Next(Names.Length);
                query.Append(query.Length == 0 ? '?' : '&').Append(Names[which]).Append('=').Append(Uri.EscapeDataString(Mutate(random, Valid[which])));
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/audit-events" + query);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var context = $"seed {Seed}, iteration {i}, query {query}: {(int)response.StatusCode} {body}";
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.True(JsonDocument.Parse(body).RootElement.TryGetProperty("events", out _), context);
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, context);
            Assert.Contains(JsonDocument.Parse(body).RootElement.GetProperty("field").GetString(), Names);
        }
    }

    /// <summary>A valid value, or one with bytes flipped, inserted, cut or replaced by odd text.</summary>
    private static string Mutate(Random random, string value)
    {
        string[] odd = ["", " ", "-1", "0", "99999999999999999999", "\u0000", "\ud83d\ude00", "%", "2026-13-45T99:99:99Z", "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00+14:00", new string('9', 600)];
        var chars = value.ToCharArray().ToList();
        switch (random.Next(5))
        {
            case 0:
                return value;
            case 1:
                return odd[random.Next(odd.Length)];
            case 2 when chars.Count > 0:
                chars[random.Next(chars.Count)] = (char)random.Next(32, 0x2FF);
                break;
            case 3:
                chars.Insert(random.Next(chars.Count + 1), (char)random.Next(32, 127));
                break;
            default:
                if (chars.Count > 0)
                {
                    chars.RemoveRange(random.Next(chars.Count), 1);
                }

                break;
        }

        return new string([.. chars]);
    }
}
