using System.Buffers.Binary;
using System.Net;
using Microsoft.Data.Sqlite;
using Mimi.Discovery.Client;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log;

/// <summary>
/// GET /log/tile/entries/…: C2SP tlog-tiles entry bundles, read here by a plain re-parse (not the library's
/// EntryBundle) and checked against /log/entries and the level-0 hash tiles.
/// </summary>
public sealed class EntryBundleTests : IDisposable
{
    private readonly ServiceFactory _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Bundles_hold_the_entries_of_the_level_0_tile_of_the_same_index_as_uint16_length_and_bytes()
    {
        await IssueAsync(260);
        var http = _service.CreateClient();
        var log = _service.Anonymous();

        var full = await http.GetAsync("/log/tile/entries/000");
        var partial = await http.GetAsync("/log/tile/entries/001.p/4");

        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", full.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", partial.Headers.CacheControl?.ToString());
        Assert.Equal("application/octet-stream", full.Content.Headers.ContentType?.MediaType);
        var entries = ReParse(await full.Content.ReadAsByteArrayAsync()).Concat(ReParse(await partial.Content.ReadAsByteArrayAsync())).ToList();
        Assert.Equal(260, entries.Count);
        var served = new List<byte[]>();
        for (var start = 0; start < 260; start += 100)
        {
            served.AddRange((await log.GetLogEntriesAsync(start, Math.Min(100, 260 - start))).Entries.Select(e => Convert.FromBase64String(e.Data)));
        }

        Assert.Equal(served, entries);
        var leaves = (await http.GetByteArrayAsync("/log/tile/0/000")).Concat(await http.GetByteArrayAsync("/log/tile/0/001.p/4")).ToArray();
        Assert.Equal(leaves, entries.SelectMany(e => MerkleHash.LeafHash(e)).ToArray());

        // The client reads the same bundles.
        Assert.Equal(await http.GetByteArrayAsync("/log/tile/entries/001.p/4"), await log.GetEntryBundleAsync(TileCoordinate.EntryBundle(1, 4)));
        Assert.Equal(await http.GetByteArrayAsync("/log/tile/entries/001.p/3"), ReParse(await http.GetByteArrayAsync("/log/tile/entries/001.p/3")).SelectMany(Frame).ToArray());
    }

    [Theory]
    [InlineData("/log/tile/entries/001.p/5", HttpStatusCode.NotFound)]
    [InlineData("/log/tile/entries/002", HttpStatusCode.NotFound)]
    [InlineData("/log/tile/entries/001", HttpStatusCode.NotFound)]
    [InlineData("/log/tile/entries/x001%2F234", HttpStatusCode.NotFound)]
    [InlineData("/log/tile/entries/1", HttpStatusCode.BadRequest)]
    [InlineData("/log/tile/entries/000.p/256", HttpStatusCode.BadRequest)]
    [InlineData("/log/tile/entries/x000/001", HttpStatusCode.BadRequest)]
    [InlineData("/log/tile/entries/0/000", HttpStatusCode.BadRequest)]
    [InlineData("/log/tile/entries/entries/000", HttpStatusCode.BadRequest)]
    public async Task Bundles_beyond_the_tree_are_404_and_malformed_paths_400_problems(string path, HttpStatusCode status)
    {
        await IssueAsync(3);
        var response = await _service.CreateClient().GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.Contains("\"field\":\"path\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_bundle_holding_an_entry_altered_in_storage_is_never_served()
    {
        await IssueAsync(3);
        await using (var connection = new SqliteConnection($"Data Source={_service.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE log_entries SET data = CAST('{\"type\":\"issuance\",\"forged\":true}' AS BLOB) WHERE idx = 1";
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        var response = await _service.CreateClient().GetAsync("/log/tile/entries/000.p/3");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("log-integrity", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _service.CreateClient().GetAsync("/log/tile/entries/000.p/1")).StatusCode);
    }

    /// <summary>An independent reading of the C2SP entry-bundle layout: big-endian uint16 length, then the bytes.</summary>
    private static List<byte[]> ReParse(byte[] bundle)
    {
        var entries = new List<byte[]>();
        for (var offset = 0; offset < bundle.Length;)
        {
            var length = (bundle[offset] << 8) | bundle[offset + 1];
            entries.Add(bundle[(offset + 2)..(offset + 2 + length)]);
            offset += 2 + length;
        }

        return entries;
    }

    private static byte[] Frame(byte[] entry)
    {
        var framed = new byte[2 + entry.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)entry.Length);
        entry.CopyTo(framed, 2);
        return framed;
    }

    private async Task IssueAsync(int count)
    {
        var (gate, _) = await _service.EnrolAsync("gate.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        for (var i = 0; i < count; i += 20)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(20, count - i)).Select(n =>
                gate.IssueCredentialAsync($"tel:+1555000{n:D4}", $"mimi://gate.test/u/user{n}", user.SubjectPublicKeyInfo, attested: true)));
        }
    }
}
