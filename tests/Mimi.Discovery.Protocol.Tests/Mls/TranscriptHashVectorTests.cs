using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>The transcript hashes of RFC 9420 §8.2 against the interop vectors' transcript-hashes.json.</summary>
public class TranscriptHashVectorTests
{
    [MlsVectorFact]
    public void Confirmed_and_interim_hashes_follow_from_the_authenticated_commit()
    {
        var entries = MlsVectors.Load("transcript-hashes");
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            var suite = (MlsCipherSuite)(int)entry["cipher_suite"]!;
            var authenticated = MlsVectors.Hex(entry, "authenticated_content");
            var commit = AsPublicMessage(authenticated);
            Assert.Equal(authenticated, commit.AuthenticatedContent.ToArray());

            var confirmed = MlsTranscript.Confirmed(suite, MlsVectors.Hex(entry, "interim_transcript_hash_before"), commit);
            Assert.Equal(MlsVectors.Hex(entry, "confirmed_transcript_hash_after"), confirmed.ToArray());
            var interim = MlsTranscript.Interim(suite, confirmed.Span, commit.ConfirmationTag!.Value.Span);
            Assert.Equal(MlsVectors.Hex(entry, "interim_transcript_hash_after"), interim.ToArray());

            // A server never has the confirmation key; the test does, and the tag checks out: the parse found the real tag.
            Assert.True(MlsRefHash.TryGetHashAlgorithm(suite, out var hash));
            var tag = CryptographicOperations.HmacData(hash, MlsVectors.Hex(entry, "confirmation_key"), confirmed.Span);
            Assert.Equal(tag, commit.ConfirmationTag.Value.ToArray());
        }
    }

    [MlsVectorFact]
    public void A_changed_signature_byte_changes_the_confirmed_hash()
    {
        var entry = MlsVectors.Load("transcript-hashes")[0];
        var authenticated = MlsVectors.Hex(entry, "authenticated_content");
        var commit = AsPublicMessage(authenticated);
        var forged = MlsPublicMessage.Create(commit.Content, Flip(commit.Signature), commit.ConfirmationTag, commit.MembershipTag);
        var suite = (MlsCipherSuite)(int)entry["cipher_suite"]!;
        var before = MlsVectors.Hex(entry, "interim_transcript_hash_before");
        Assert.NotEqual(MlsTranscript.Confirmed(suite, before, commit), MlsTranscript.Confirmed(suite, before, forged));
    }

    // AuthenticatedContent is a PublicMessage without its wire format and membership tag; the vectors' commits are
    // from members, so an (empty) membership tag makes it one.
    private static MlsPublicMessage AsPublicMessage(byte[] authenticatedContent)
    {
        Assert.Equal([0, 1], authenticatedContent[..2]);
        byte[] bytes = [.. authenticatedContent[2..], 0];
        Assert.True(MlsPublicMessage.TryDecode(bytes, out var message, out var error), error.Message);
        Assert.Equal(MlsContentType.Commit, message.Content.ContentType);
        return message;
    }

    private static ByteString Flip(ByteString value)
    {
        var bytes = value.ToArray();
        bytes[0] ^= 1;
        return ByteString.CopyFrom(bytes);
    }
}
