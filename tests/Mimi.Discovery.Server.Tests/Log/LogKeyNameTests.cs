using System.Text;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Server.Tests.Fixtures;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Log;

/// <summary>The checkpoint signer's key name is the log's origin (C2SP tlog-checkpoint), never the address it listens on.</summary>
public sealed class LogKeyNameTests
{
    [Fact]
    public async Task Regression_checkpoint_key_name_is_the_origin_not_the_listen_address()
    {
        // The issuer is the listen address, as a CLI session runs it; the origin is something else.
        using var cli = new CliSession();
        var log = cli.Service.Anonymous();

        var verifierKey = await log.GetLogVerifierKeyAsync();
        var note = await log.GetCheckpointAsync();

        var origin = note.Split('\n')[0];
        Assert.Equal("localhost/test-log", origin);
        Assert.Equal(origin, verifierKey.Split('+')[0]);
        Assert.Contains($"\n— {origin} ", note, StringComparison.Ordinal);
        Assert.DoesNotContain($"127.0.0.1:{cli.Port}", verifierKey, StringComparison.Ordinal);
        Assert.True(SignedNote.Open(Encoding.UTF8.GetBytes(note), [NoteVerifier.Parse(verifierKey)]).IsVerified);
    }

    [Fact]
    public async Task A_key_file_written_under_the_listen_address_signs_under_the_origin_with_the_same_key()
    {
        var data = Path.Combine(Path.GetTempPath(), "mimi-test-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            // What earlier versions wrote: the key named after the issuer's host and port.
            var keys = Path.Combine(data, "keys");
            KeyFiles.EnsureKeyDirectory(keys);
            var old = NoteSigner.Generate("127.0.0.1:5080");
            SecretFiles.Write(Path.Combine(keys, "log-signing.key"), old.SignerKey + "\n");
            using var service = new ServiceFactory(dataDirectory: data);

            var verifierKey = await service.Anonymous().GetLogVerifierKeyAsync();

            Assert.Equal("localhost/test-log", verifierKey.Split('+')[0]);
            Assert.Equal(old.VerifierKey.Split('+')[2], verifierKey.Split('+')[2]);
            var note = await service.Anonymous().GetCheckpointAsync();
            Assert.True(SignedNote.Open(Encoding.UTF8.GetBytes(note), [NoteVerifier.Parse(verifierKey)]).IsVerified);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
