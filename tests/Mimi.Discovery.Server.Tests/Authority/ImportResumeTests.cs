using System.Net;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Authority;

/// <summary>
/// Resumable imports at the API: each batch records, in its log transaction, the last line of the import it has done,
/// and lines the import committed before are skipped, so a client that lost the answer can send again safely.
/// </summary>
public sealed class ImportResumeTests : IDisposable
{
    private readonly ServiceFactory _service = new(settings: new Dictionary<string, string?> { ["Import:BatchSize"] = "3" });
    private readonly ClientCredentials _user = ClientCredentials.GenerateEs256("u");

    public void Dispose()
    {
        _user.Dispose();
        _service.Dispose();
    }

    [Fact]
    public async Task Regression_lines_of_an_import_sent_again_are_skipped_not_logged_twice()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        var body = Rows(1, 10) + "{not json\n" + Rows(12, 12);

        var first = await gate.ImportAsync(ImportTests.Ndjson(body), "import-0001", 1);
        // The client never heard this answer (say): it sends the whole file again under the same id.
        var again = await gate.ImportAsync(ImportTests.Ndjson(body), "import-0001", 1);

        Assert.Equal((11L, 1L, 12L), (first.Imported, first.Rejected, first.LastLine));
        Assert.Equal((0L, 0L, 12L, 12L), (again.Imported, again.Rejected, again.Skipped, again.LastLine));
        var progress = await gate.GetImportProgressAsync("import-0001");
        Assert.Equal((12L, 11L, 1L, 0L, 10L), (progress!.ThroughLine, progress.Imported, progress.Rejected, progress.FirstLogIndex!.Value, progress.LastLogIndex!.Value));
        Assert.Equal(11, (await _service.Anonymous().GetLogEntriesAsync(0, 1)).TreeSize);
    }

    [Fact]
    public async Task A_resumed_upload_sends_the_rest_numbered_as_in_the_file()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        await gate.ImportAsync(ImportTests.Ndjson(Rows(1, 6)), "import-0002", 1);

        var rest = await gate.ImportAsync(ImportTests.Ndjson(Rows(7, 8) + "{\"sii\": 5}\n"), "import-0002", 7);

        Assert.Equal((2L, 1L, 9L), (rest.Imported, rest.Rejected, rest.LastLine));
        Assert.Equal(9, Assert.Single(rest.Errors).Line);
        Assert.Equal(9, (await gate.GetImportProgressAsync("import-0002"))!.ThroughLine);
    }

    [Fact]
    public async Task An_upload_that_would_leave_a_gap_is_refused_and_ids_are_per_provider()
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        var (other, _) = await _service.EnrolAsync("other.test", trusted: true);
        await gate.ImportAsync(ImportTests.Ndjson(Rows(1, 4)), "import-0003", 1);

        var gap = await Assert.ThrowsAsync<MimiApiException>(() => gate.ImportAsync(ImportTests.Ndjson(Rows(9, 9)), "import-0003", 9));
        var badId = await Assert.ThrowsAsync<MimiApiException>(() => gate.ImportAsync(ImportTests.Ndjson(Rows(1, 1)), "no spaces here", 1));

        Assert.Equal((int)HttpStatusCode.Conflict, gap.Status);
        Assert.Contains("5–8", gap.Message, StringComparison.Ordinal);
        Assert.Equal((int)HttpStatusCode.BadRequest, badId.Status);
        Assert.Equal("importId", badId.Problem!.Extensions!["field"].ToString());
        Assert.Null(await other.GetImportProgressAsync("import-0003"));
        Assert.Null(await gate.GetImportProgressAsync("import-9999"));
    }

    private string Rows(int from, int through)
    {
        var key = Convert.ToBase64String(_user.SubjectPublicKeyInfo);
        return string.Concat(Enumerable.Range(from, through - from + 1)
            .Select(i => ImportTests.Row($"tel:+1555088{i:D4}", $"mimi://gate.test/u/r{i}", key) + "\n"));
    }
}
