using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>
/// Requests whose request line or headers Kestrel, the real server, looks at before the application: over-long URLs and
/// headers, and a NUL in the path. Sent over a raw socket, so that nothing in a client library rewrites them.
/// </summary>
public sealed class RequestHeadTests : IDisposable
{
    private readonly int _port = LoopbackPorts.FreeTcpPort();
    private readonly ServiceFactory _service = new();

    public RequestHeadTests()
    {
        _service.UseKestrel(_port);
        _service.StartServer();
    }

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Regression_an_over_long_URL_is_a_414_problem_not_an_empty_answer()
    {
        var response = await SendAsync($"GET /log/entries?start=0&count={new string('1', 9000)} HTTP/1.1\r\nHost: localhost\r\n\r\n");

        AssertProblem(response, 414, "request-target-too-long");
        Assert.Contains("8192", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Regression_an_over_long_header_is_a_431_problem_not_an_empty_answer()
    {
        var response = await SendAsync($"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: {new string('a', 40_000)}\r\n\r\n");

        AssertProblem(response, 431, "request-headers-too-large");
    }

    [Fact]
    public async Task Too_many_header_fields_are_a_431_problem()
    {
        var headers = string.Concat(Enumerable.Range(0, 150).Select(i => $"X-Field-{i}: {i}\r\n"));

        var response = await SendAsync($"GET /healthz HTTP/1.1\r\nHost: localhost\r\n{headers}\r\n");

        AssertProblem(response, 431, "request-headers-too-large");
    }

    [Fact]
    public async Task A_NUL_in_the_query_reaches_the_service_and_is_a_problem_naming_the_parameter()
    {
        var response = await SendAsync("GET /log/entries?start=%00 HTTP/1.1\r\nHost: localhost\r\n\r\n");

        AssertProblem(response, 400, "invalid-request");
        Assert.Equal("start", JsonDocument.Parse(response.Body).RootElement.GetProperty("field").GetString());
    }

    /// <summary>
    /// Kestrel decodes the path itself and refuses a decoded NUL before any application code runs, with no way to give
    /// the answer a body; the README says so under "Errors". This pins that behaviour, so a change is noticed.
    /// </summary>
    [Fact]
    public async Task A_NUL_in_the_path_and_a_URL_beyond_four_times_the_limit_are_refused_by_Kestrel_itself_as_the_README_says()
    {
        var nul = await SendAsync("GET /log/entries%00 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var huge = await SendAsync($"GET /log/entries?start={new string('1', 40_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(400, nul.Status);
        Assert.Equal("", nul.Body);
        Assert.Equal(414, huge.Status);
        Assert.Equal("", huge.Body);
        var readme = await File.ReadAllTextAsync(Path.Combine(Tools.RepositoryRoot, "README.md"));
        var errors = readme[readme.IndexOf("## Errors", StringComparison.Ordinal)..];
        Assert.Contains("`%00`", errors, StringComparison.Ordinal);
        Assert.Contains("four times", errors, StringComparison.Ordinal);
    }

    private static void AssertProblem(RawResponse response, int status, string kind)
    {
        Assert.True(response.Status == status, $"{response.Status}: {response.Head}\n{response.Body}");
        Assert.Contains("Content-Type: application/problem+json", response.Head, StringComparison.OrdinalIgnoreCase);
        var problem = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal("urn:mimi-discovery:problem:" + kind, problem.GetProperty("type").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }

    private async Task<RawResponse> SendAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        // Read the head, then the body by its length (or chunks): the connection may stay open.
        var buffer = new List<byte>();
        var chunk = new byte[64 * 1024];
        int headEnd;
        while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var read = await stream.ReadAsync(chunk);
            Assert.True(read > 0, "the server closed the connection without an answer");
            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }

        var head = Encoding.ASCII.GetString([.. buffer.Take(headEnd)]);
        var rest = buffer.Skip(headEnd + 4).ToList();
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var chunked = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
        while (chunked ? IndexOf(rest, "0\r\n\r\n"u8.ToArray()) < 0 : rest.Count < int.Parse(lengthLine?.Split(':')[1].Trim() ?? "0", System.Globalization.CultureInfo.InvariantCulture))
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                break;
            }

            rest.AddRange(chunk.AsSpan(0, read).ToArray());
        }

        return new RawResponse(status, head, chunked ? Dechunk(rest) : Encoding.UTF8.GetString([.. rest]));
    }

    private static string Dechunk(List<byte> body)
    {
        var text = Encoding.UTF8.GetString([.. body]);
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = text.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(text[at..lineEnd], 16);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(text, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            if (needle.Select((b, j) => haystack[i + j] == b).All(x => x))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed record RawResponse(int Status, string Head, string Body);
}
