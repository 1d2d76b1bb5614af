using System.Text;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Authority;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log;

/// <summary>
/// The public log names nobody (docs/accountability.md): over thousands of issuances and revocations, through import
/// and through the API, for every kind of identifier, no entry's bytes contain an identifier (or its digits or local
/// part), an SSI, a user name, a provider domain or a serial. What an entry may show is its type, time, VRF key id,
/// identifier index and commitment.
/// </summary>
public sealed class LogPrivacyTests : IDisposable
{
    private const int Imported = 3000;
    private readonly ServiceFactory _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task No_entry_names_an_identifier_user_provider_or_serial()
    {
        var (gate, _) = await _service.EnrolAsync("gate-privacy.test", trusted: true);
        var (other, _) = await _service.EnrolAsync("other-privacy.test", trusted: true);
        using var user = ClientCredentials.GenerateEs256("u");
        var key = Convert.ToBase64String(user.SubjectPublicKeyInfo);
        var secrets = new List<string> { "gate-privacy.test", "other-privacy.test", "gate-privacy", "other-privacy" };

        var rows = new StringBuilder();
        for (var i = 0; i < Imported; i++)
        {
            var (sii, name) = Identifier(i);
            rows.Append(ImportTests.Row(sii, $"mimi://gate-privacy.test/u/{name}", key)).Append('\n');
            secrets.Add(sii);
            secrets.Add(name);
            secrets.Add(sii[(sii.IndexOf(':') + 1)..]);
        }

        var import = await gate.ImportAsync(ImportTests.Ndjson(rows.ToString()));
        Assert.Equal(Imported, import.Imported);

        // Through the API too, one of them an identifier another provider also holds, and revocations of both kinds.
        var issued = new List<Credential>();
        for (var i = 0; i < 20; i++)
        {
            var (sii, name) = Identifier(Imported + i);
            var issuer = i % 2 == 0 ? gate : other;
            var domain = i % 2 == 0 ? "gate-privacy.test" : "other-privacy.test";
            issued.Add(await issuer.IssueCredentialAsync(sii, $"mimi://{domain}/u/{name}", user.SubjectPublicKeyInfo, attested: true));
            secrets.Add(sii);
            secrets.Add(name);
        }

        issued.Add(await other.IssueCredentialAsync(Identifier(0).Sii, "mimi://other-privacy.test/u/shared-user-0", user.SubjectPublicKeyInfo, attested: true));
        secrets.Add("shared-user-0");
        for (var i = 0; i < issued.Count; i += 4)
        {
            await (issued[i].Provider == "gate-privacy.test" ? gate : other).RevokeCredentialAsync(issued[i].Serial, "superseded");
        }

        secrets.AddRange(issued.Select(c => c.Serial));
        secrets.AddRange(issued.Select(c => c.Ssi));

        var anonymous = _service.Anonymous();
        var entries = new List<byte[]>();
        for (long start = 0; ; start = entries.Count)
        {
            var page = await anonymous.GetLogEntriesAsync(start, 1000);
            entries.AddRange(page.Entries.Select(e => Convert.FromBase64String(e.Data)));
            if (entries.Count >= page.TreeSize)
            {
                break;
            }
        }

        Assert.Equal(Imported + issued.Count + ((issued.Count + 3) / 4), entries.Count);
        var indexes = new Dictionary<string, int>();
        foreach (var bytes in entries)
        {
            var text = Encoding.UTF8.GetString(bytes);
            Assert.True(LogEntryContent.TryParse(bytes, out var entry), text);
            Assert.Equal(LogEntryContent.IndexedFormat, entry!.Format);
            var found = secrets.Find(s => text.Contains(s, StringComparison.OrdinalIgnoreCase));
            Assert.True(found is null, $"An entry names '{found}': {text}");
            var index = Convert.ToBase64String(entry.IdentifierIndex!);
            indexes[index] = indexes.GetValueOrDefault(index) + 1;
        }

        // What the log does reveal: entries about one identifier share its index (the shared one: import, issuance by
        // another provider, and that one's revocation if it was revoked), and nothing else groups them.
        Assert.Equal(Imported + 20, indexes.Count);
    }

    /// <summary>Identifiers of all three kinds, with user names and digits that cannot occur in base64 by chance ('-', '.', '@').</summary>
    private static (string Sii, string Name) Identifier(int i) => (i % 3) switch
    {
        0 => ($"tel:+1555{i:D7}", $"user-t-{i:D6}"),
        1 => ($"mailto:person-{i:D6}@mail-privacy.test", $"user-m-{i:D6}"),
        _ => ($"im:handle-{i:D6}@chat-privacy.test", $"user-h-{i:D6}"),
    };
}
