using System.Text.Json;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>
/// The mlswg/mls-implementations test vectors (deserialization, crypto-basics, welcome, messages), read from the
/// directory <see cref="MlsVectors.Directory"/> names. They are not copied into this repository; the tests are
/// skipped, saying so, where the directory is absent.
/// </summary>
public class MlsTestVectorTests
{
    [MlsVectorFact]
    public void Varint_headers_decode_to_their_lengths()
    {
        foreach (var entry in MlsVectors.Load("deserialization.json").EnumerateArray())
        {
            var header = Convert.FromHexString(entry.GetProperty("vlbytes_header").GetString()!);
            var length = entry.GetProperty("length").GetInt32();
            Assert.Equal(TlsErrorKind.None, TlsVarint.TryRead(header, out var value, out var read));
            Assert.Equal((length, header.Length), (value, read));
            var buffer = new byte[4];
            Assert.Equal(header, buffer.AsSpan(0, TlsVarint.Write(buffer, length)).ToArray());
        }
    }

    [MlsVectorFact]
    public void RefHash_matches_crypto_basics()
    {
        var checkedSuites = 0;
        foreach (var entry in MlsVectors.Load("crypto-basics.json").EnumerateArray())
        {
            var suite = (MlsCipherSuite)entry.GetProperty("cipher_suite").GetUInt16();
            var refHash = entry.GetProperty("ref_hash");
            if (!MlsRefHash.TryCompute(suite, refHash.GetProperty("label").GetString()!, Convert.FromHexString(refHash.GetProperty("value").GetString()!), out var output))
            {
                continue;
            }

            Assert.Equal(refHash.GetProperty("out").GetString(), output.ToHex());
            checkedSuites++;
        }

        Assert.True(checkedSuites >= 7);
    }

    [MlsVectorFact]
    public void KeyPackageRefs_route_the_welcome_vectors()
    {
        foreach (var entry in MlsVectors.Load("welcome.json").EnumerateArray())
        {
            var keyPackage = MlsSamples.ParseMessage(Convert.FromHexString(entry.GetProperty("key_package").GetString()!));
            var welcome = MlsSamples.ParseMessage(Convert.FromHexString(entry.GetProperty("welcome").GetString()!));
            Assert.Equal(MlsWireFormat.KeyPackage, keyPackage.WireFormat);
            Assert.Equal(MlsWireFormat.Welcome, welcome.WireFormat);
            Assert.Equal((MlsCipherSuite)entry.GetProperty("cipher_suite").GetUInt16(), keyPackage.KeyPackage!.CipherSuite);

            Assert.True(keyPackage.KeyPackage.TryComputeRef(out var reference));
            Assert.Contains(welcome.Welcome!.Secrets, s => s.NewMember == reference);
        }
    }

    [MlsVectorFact]
    public void Every_encoded_message_of_the_messages_vectors_frames_exactly()
    {
        string[] fields = ["mls_welcome", "mls_group_info", "mls_key_package", "public_message_application", "public_message_proposal", "public_message_commit", "private_message"];
        var count = 0;
        foreach (var entry in MlsVectors.Load("messages.json").EnumerateArray())
        {
            foreach (var field in fields)
            {
                var bytes = Convert.FromHexString(entry.GetProperty(field).GetString()!);
                Assert.True(MlsMessage.TryDecode(bytes, out var message, out var error), $"{field}: {error.Message}");
                Assert.Equal(bytes, message.Encoded.ToArray());
                count++;
            }
        }

        Assert.True(count > 0);
    }
}

/// <summary>Where the mlswg test vectors are: <c>MIMI_MLS_TEST_VECTORS</c>, else the shared vectors folder.</summary>
internal static class MlsVectors
{
    public static string? Directory { get; } = Find();

    public static JsonElement Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory!, name)));
        return document.RootElement.Clone();
    }

    private static string? Find()
    {
        string?[] candidates = [Environment.GetEnvironmentVariable("MIMI_MLS_TEST_VECTORS"), "/work/shared/vectors/mls-implementations"];
        return candidates.FirstOrDefault(c => c is not null && File.Exists(Path.Combine(c, "messages.json")));
    }
}

/// <summary>A fact that is skipped, with the reason, when the MLS test vectors are not available.</summary>
internal sealed class MlsVectorFactAttribute : FactAttribute
{
    public MlsVectorFactAttribute()
    {
        if (MlsVectors.Directory is null)
        {
            Skip = "mlswg/mls-implementations test-vectors not found: set MIMI_MLS_TEST_VECTORS to its test-vectors directory.";
        }
    }
}
