using System.Text;

namespace Mimi.Discovery.Transparency.Tests;

/// <summary>
/// Keys, texts and signatures from the Go sumdb/note package's documentation and tests
/// (golang.org/x/mod/sumdb/note, note.go and note_test.go).
/// </summary>
public class SignedNoteTests
{
    private const string PeterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string EnochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSignature = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private const string EnochSignature = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    private static readonly NoteVerifier Peter = NoteVerifier.Parse(PeterVerifierKey);
    private static readonly NoteVerifier Enoch = NoteVerifier.Parse(EnochVerifierKey);

    [Fact]
    public void Signing_with_the_go_example_key_gives_the_go_example_note()
    {
        var signer = NoteSigner.ParseSignerKey(PeterSignerKey);
        Assert.Equal("PeterNeumann", signer.Name);
        Assert.Equal(0xc74f20a3u, signer.KeyId);
        Assert.Equal(PeterVerifierKey, signer.VerifierKey);
        Assert.Equal(PeterSignerKey, signer.SignerKey);
        Assert.Equal(Text + "\n" + PeterSignature, SignedNote.Sign(Text, signer));
    }

    [Fact]
    public void A_signer_made_from_name_and_seed_matches_its_key_strings()
    {
        var seed = Convert.FromBase64String("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")[1..];
        var signer = NoteSigner.Create("PeterNeumann", seed);
        Assert.Equal(PeterSignerKey, signer.SignerKey);
        Assert.Equal(PeterVerifierKey, signer.Verifier.VerifierKey);
        Assert.Equal(32, signer.Verifier.PublicKey.Length);

        var generated = NoteSigner.Generate("log.example/mimi");
        var reparsed = NoteSigner.ParseSignerKey(generated.SignerKey);
        Assert.Equal(generated.VerifierKey, reparsed.VerifierKey);
        Assert.Equal(generated.KeyId, NoteVerifier.Parse(generated.VerifierKey).KeyId);
        Assert.NotEqual(generated.VerifierKey, NoteSigner.Generate("log.example/mimi").VerifierKey);
    }

    [Fact]
    public void A_signer_renamed_keeps_its_key_and_signs_under_the_new_name()
    {
        var signer = NoteSigner.Generate("127.0.0.1:5080");

        var renamed = signer.WithName("log.example/mimi");

        Assert.Equal("log.example/mimi", renamed.Name);
        Assert.Equal(signer.VerifierKey.Split('+')[2], renamed.VerifierKey.Split('+')[2]);
        Assert.NotEqual(signer.KeyId, renamed.KeyId);
        var note = SignedNote.Sign("log.example/mimi\n1\n" + Convert.ToBase64String(new byte[32]) + "\n", renamed);
        Assert.True(SignedNote.Open(Encoding.UTF8.GetBytes(note), [renamed.Verifier]).IsVerified);
        Assert.Same(renamed, renamed.WithName("log.example/mimi"));
        Assert.Throws<ArgumentException>(() => signer.WithName("has space"));
    }

    [Fact]
    public void Opening_verifies_known_keys_and_ignores_unknown_ones()
    {
        var note = Encoding.UTF8.GetBytes(Text + "\n" + PeterSignature + EnochSignature);

        var onlyPeter = SignedNote.Open(note, [Peter]);
        Assert.Equal(NoteStatus.Verified, onlyPeter.Status);
        Assert.Equal(Text, onlyPeter.Text);
        Assert.Equal([Peter], onlyPeter.VerifiedBy);

        var both = SignedNote.Open(note, [Peter, Enoch]);
        Assert.True(both.IsVerified);
        Assert.Equal([Peter, Enoch], both.VerifiedBy);

        var none = SignedNote.Open(note, []);
        Assert.Equal(NoteStatus.UnknownKey, none.Status);
        Assert.Null(none.Text);
    }

    [Fact]
    public void A_bad_signature_by_a_known_key_rejects_the_note()
    {
        var tampered = Text + "\n" + PeterSignature[..60] + "ABCD" + PeterSignature[60..];
        Assert.Equal(NoteStatus.BadSignature, SignedNote.Open(Encoding.UTF8.GetBytes(tampered), [Peter]).Status);

        var otherText = Text.Replace("problem", "answer", StringComparison.Ordinal) + "\n" + PeterSignature;
        Assert.Equal(NoteStatus.BadSignature, SignedNote.Open(Encoding.UTF8.GetBytes(otherText), [Peter]).Status);

        // The same bad signature is ignored when its key is not trusted.
        Assert.Equal(NoteStatus.Verified, SignedNote.Open(Encoding.UTF8.GetBytes(Text + "\n" + PeterSignature + EnochSignature[..60] + "ABCD" + EnochSignature[60..]), [Peter]).Status);
    }

    [Theory]
    [InlineData(Text)]
    [InlineData(Text + "\n")]
    [InlineData(Text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")]
    [InlineData("\u0001" + Text + "\n" + PeterSignature)]
    [InlineData(Text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    [InlineData(Text + "\n" + PeterSignature + "Unexpected line.\n")]
    [InlineData(Text + "\n" + "— PeterNeumann\n")]
    [InlineData(Text + "\n" + "— PeterNeumann x08g\n")]
    [InlineData(Text + "\n" + "— PeterNeumann not base64!\n")]
    [InlineData(Text + "\n" + "-- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    [InlineData(Text + "\r\n" + PeterSignature)]
    public void Malformed_notes_are_reported_as_malformed(string note)
    {
        Assert.Equal(NoteStatus.Malformed, SignedNote.Open(Encoding.UTF8.GetBytes(note), [Peter]).Status);
    }

    [Fact]
    public void Invalid_utf8_and_oversized_notes_are_refused_without_throwing()
    {
        byte[] invalid = [0xff, .. Encoding.UTF8.GetBytes(Text + "\n" + PeterSignature)];
        Assert.Equal(NoteStatus.Malformed, SignedNote.Open(invalid, [Peter]).Status);

        var manySignatures = Encoding.UTF8.GetBytes(Text + "\n" + string.Concat(Enumerable.Repeat(PeterSignature, 101)));
        Assert.Equal(NoteStatus.TooLarge, SignedNote.Open(manySignatures, [Peter]).Status);
        Assert.True(SignedNote.Open(Encoding.UTF8.GetBytes(Text + "\n" + string.Concat(Enumerable.Repeat(PeterSignature, 100))), [Peter]).IsVerified);

        var huge = Encoding.UTF8.GetBytes(new string('a', SignedNote.MaxLength) + "\n\n" + PeterSignature);
        Assert.Equal(NoteStatus.TooLarge, SignedNote.Open(huge, [Peter]).Status);
        Assert.Equal(NoteStatus.Malformed, SignedNote.Open([], [Peter]).Status);
    }

    [Fact]
    public void A_note_text_keeps_blank_lines_and_splits_at_the_last_one()
    {
        var signer = NoteSigner.Generate("poet.example");
        const string poem = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n";
        var note = SignedNote.Sign(poem, signer);
        var opened = SignedNote.Open(Encoding.UTF8.GetBytes(note), [signer.Verifier]);
        Assert.True(opened.IsVerified);
        Assert.Equal(poem, opened.Text);
    }

    [Fact]
    public void Several_signers_each_add_a_line_in_order()
    {
        var first = NoteSigner.Generate("a.example");
        var second = NoteSigner.Generate("b.example");
        var note = SignedNote.Sign("hello\n", first, second);
        var lines = note.Split('\n');
        Assert.Equal("hello", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.StartsWith("— a.example ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("— b.example ", lines[3], StringComparison.Ordinal);
        Assert.Equal([second.Verifier], SignedNote.Open(Encoding.UTF8.GetBytes(note), [second.Verifier]).VerifiedBy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no newline")]
    [InlineData("tab\there\n")]
    public void Signing_refuses_texts_that_would_not_open(string text)
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Sign(text, NoteSigner.Generate("x.example")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a+b")]
    [InlineData("a\nb")]
    public void Key_names_with_spaces_or_pluses_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.Generate(name));
    }

    [Fact]
    public void Every_mangling_of_a_verifier_key_is_refused()
    {
        // As Go's TestNewVerifier: every proper substring and every single-byte increment must fail to parse.
        for (var i = 0; i <= PeterVerifierKey.Length; i++)
        {
            for (var j = i + 1; j <= PeterVerifierKey.Length; j++)
            {
                if (i != 0 || j != PeterVerifierKey.Length)
                {
                    Assert.False(NoteVerifier.TryParse(PeterVerifierKey[i..j], out _), PeterVerifierKey[i..j]);
                }
            }
        }

        var chars = PeterVerifierKey.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i]++;
            Assert.False(NoteVerifier.TryParse(new string(chars), out _), new string(chars));
            chars[i]--;
        }

        // A wrong-length key and an unknown algorithm, each with a key ID computed to match (Go's test vectors).
        Assert.False(NoteVerifier.TryParse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", out _));
        Assert.False(NoteVerifier.TryParse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", out _));
        Assert.Throws<FormatException>(() => NoteVerifier.Parse("nonsense"));
    }

    [Fact]
    public void Every_mangling_of_a_signer_key_is_refused()
    {
        for (var i = 0; i <= PeterSignerKey.Length; i++)
        {
            for (var j = i + 1; j <= PeterSignerKey.Length; j++)
            {
                if (i != 0 || j != PeterSignerKey.Length)
                {
                    Assert.False(NoteSigner.TryParseSignerKey(PeterSignerKey[i..j], out _), PeterSignerKey[i..j]);
                }
            }
        }

        var chars = PeterSignerKey.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i]++;
            Assert.False(NoteSigner.TryParseSignerKey(new string(chars), out _), new string(chars));
            chars[i]--;
        }

        Assert.Throws<FormatException>(() => NoteSigner.ParseSignerKey(PeterVerifierKey));
    }
}
