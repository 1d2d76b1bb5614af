using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Franking;

/// <summary>
/// Franking pieces (draft-ietf-mimi-protocol-06 §5.4.1): the Safe AAD frank_aad item as a real client (ts-mls) carries
/// it, the MIMI content salt and URIs, the server frank and its integrity signature; and every parser survives hostile
/// input without throwing.
/// </summary>
public class FrankingTests(MlsPeerFixture fixture) : IClassFixture<MlsPeerFixture>
{
    private const string Room = "mimi://hub.example/r/Rl33FWLCYWOwxHrYnpWDQg";
    private const string Sender = "mimi://b.example/d/alice-phone";

    [Fact]
    public async Task The_franking_tag_is_read_from_a_ts_mls_PrivateMessages_safe_aad()
    {
        var alice = MlsPeerFixture.Unique("alice");
        var room = $"mimi://alpha.test/r/{Guid.NewGuid():N}";
        await fixture.Peer.CreateClientAsync(alice, Sender);
        await fixture.Peer.CreateGroupAsync(alice, room);
        var salt = RandomNumberGenerator.GetBytes(MimiContentFranking.SaltLength);
        var content = MimiContentFranking.EncodeText(salt, Sender, room, "hi");
        var tag = Protocol.Franking.Tag(salt, content);
        var aad = SafeAad.Encode((0x0100, [9, 9]), (SafeAad.FrankAadComponent, tag));

        Assert.True(MlsMessage.TryDecode(await fixture.Peer.EncryptAsync(alice, room, content, aad), out var message, out _));
        Assert.True(Protocol.Franking.TryGetFrankingTag(message!, out var carried));
        Assert.Equal(tag, carried.ToArray());

        Assert.True(MlsMessage.TryDecode(await fixture.Peer.EncryptAsync(alice, room, content), out var plain, out _));
        Assert.False(Protocol.Franking.TryGetFrankingTag(plain!, out _));
    }

    [Fact]
    public void Safe_aad_items_are_found_by_component_and_must_be_sorted_and_unique()
    {
        var aad = SafeAad.Encode((0x0021, [1]), (SafeAad.FrankAadComponent, new byte[32]));
        Assert.True(SafeAad.TryFind(aad, 0x0021, out var data));
        Assert.Equal([1], data.ToArray());
        Assert.False(SafeAad.TryFind(aad, 0x0022, out _));
        Assert.True(SafeAad.TryFindFrankingTag([.. aad, 0xff, 0xfe], out _)); // non-safe data may follow the vector

        byte[] unsorted = [0x08, 0x00, 0x21, 0x01, 0x01, 0x00, 0x20, 0x01, 0x02];
        Assert.False(SafeAad.TryFind(unsorted, 0x0020, out _));
        Assert.False(SafeAad.TryFindFrankingTag(SafeAad.Encode((SafeAad.FrankAadComponent, new byte[31])), out _));
        Assert.False(SafeAad.TryFind([], 0x0020, out _));
        Assert.Throws<ArgumentException>(() => SafeAad.Encode((1, []), (1, [])));
    }

    [Fact]
    public void Mimi_content_gives_its_salt_and_the_sender_and_room_uris()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        Assert.True(MimiContentFranking.TryRead(MimiContentFranking.EncodeText(salt, Sender, Room, "hello"), out var read, out var error), error);
        Assert.Equal(salt, read.Salt.ToArray());
        Assert.Equal((Sender, Room), (read.SenderUri, read.RoomUri));

        Assert.False(MimiContentFranking.TryRead("not cbor"u8, out _, out error));
        Assert.NotNull(error);
        Assert.False(MimiContentFranking.TryRead(MimiContentFranking.EncodeText(new byte[15], Sender, Room, "x"), out _, out error));
        Assert.Contains("salt", error, StringComparison.Ordinal);
        Assert.False(MimiContentFranking.TryRead([.. MimiContentFranking.EncodeText(salt, Sender, Room, "x"), 0], out _, out _));
    }

    [Fact]
    public void A_frank_verifies_for_its_context_only()
    {
        var hubKey = RandomNumberGenerator.GetBytes(32);
        var signing = MlsSigningKey.FromSeed(MlsCipherSuite.P256Aes128GcmSha256P256, RandomNumberGenerator.GetBytes(MlsSigningKey.SeedSize(MlsCipherSuite.P256Aes128GcmSha256P256)));
        var tag = RandomNumberGenerator.GetBytes(32);
        var context = new ServerFrankingContext(Sender, Room, 1_700_000_000_000);

        var frank = Protocol.Franking.Create(hubKey, signing, tag, context);
        Assert.Equal(32, frank.ServerFrank.Length);
        Assert.Equal(MlsCipherSuite.P256Aes128GcmSha256P256, frank.FrankingSignatureCipherSuite);
        Assert.Equal(HMACSHA256.HashData(hubKey, tag.Concat(context.Encode()).ToArray()), frank.ServerFrank.ToArray());
        Assert.True(Protocol.Franking.IsServerFrank(hubKey, frank, tag, context));
        Assert.Equal(MlsSignatureCheck.Valid, Protocol.Franking.VerifySignature(frank, context, signing.PublicKey));

        var later = context with { AcceptedTimestamp = context.AcceptedTimestamp + 1 };
        Assert.False(Protocol.Franking.IsServerFrank(hubKey, frank, tag, later));
        Assert.NotEqual(MlsSignatureCheck.Valid, Protocol.Franking.VerifySignature(frank, later, signing.PublicKey));
        Assert.False(Protocol.Franking.IsServerFrank(RandomNumberGenerator.GetBytes(32), frank, tag, context));
        Assert.False(Protocol.Franking.IsServerFrank(hubKey, frank, RandomNumberGenerator.GetBytes(32), context));

        // On its own (as an inbox item carries it): server_frank[32], uint16 suite, opaque signature<V> (a P-256 DER
        // signature is 64 bytes or more: a two-byte varint length).
        var alone = frank.Encode();
        Assert.Equal(32 + 2 + 2 + frank.FrankingIntegritySignature.Length, alone.Length);
        Assert.True(Frank.TryDecode(alone, out var decoded, out var error), error.Message);
        Assert.Equal(MlsSignatureCheck.Valid, Protocol.Franking.VerifySignature(decoded, context, signing.PublicKey));
        Assert.False(Frank.TryDecode([.. alone, 0], out _, out _));
        Assert.False(Frank.TryDecode(alone.AsSpan(0, 31), out _, out _));

        // ServerFrankingContext: IdentifierUri<V> twice, then uint64.
        var encoded = context.Encode();
        Assert.Equal(1 + Sender.Length + 1 + Room.Length + 8, encoded.Length);
        Assert.Equal(Sender, Encoding.UTF8.GetString(encoded, 1, Sender.Length));
    }

    [Fact]
    public void Franking_agent_data_round_trips()
    {
        var agent = new FrankingAgentData(ByteString.CopyFrom(new byte[32]), MlsCredential.Basic(ByteString.CopyFrom("mimi://hub.example"u8.ToArray())));
        Assert.True(FrankingAgentData.TryDecode(agent.Encode(), out var decoded, out var error), error.Message);
        Assert.Equal(agent.Encode(), decoded.Encode());
        Assert.False(FrankingAgentData.TryDecode([.. agent.Encode(), 0], out _, out _));
    }

    [Property(MaxTest = 300)]
    public Property Parsers_never_throw_on_random_input() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            SafeAad.TryFind(bytes, SafeAad.FrankAadComponent, out _);
            MimiContentFranking.TryRead(bytes, out _, out _);
            FrankingAgentData.TryDecode(bytes, out _, out _);
            Frank.TryDecode(bytes, out _, out _);
        });

    [Property(MaxTest = 300)]
    public Property Parsers_never_throw_on_mutated_valid_input() =>
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<byte>(), (position, value) =>
        {
            var content = MimiContentFranking.EncodeText(new byte[16], Sender, Room, "mutate me");
            var aad = SafeAad.Encode((3, [1, 2, 3]), (SafeAad.FrankAadComponent, new byte[32]));
            var frank = new Frank(ByteString.CopyFrom(new byte[32]), MlsCipherSuite.P256Aes128GcmSha256P256, ByteString.CopyFrom(new byte[70])).Encode();
            foreach (var valid in new[] { content, aad, frank })
            {
                var mutated = valid.ToArray();
                mutated[(int)((uint)position % (uint)mutated.Length)] = value;
                SafeAad.TryFind(mutated, SafeAad.FrankAadComponent, out _);
                MimiContentFranking.TryRead(mutated, out _, out _);
                Frank.TryDecode(mutated, out _, out _);
                MimiContentFranking.TryRead(mutated.AsSpan(0, (int)((uint)position % (uint)mutated.Length)), out _, out _);
            }
        });
}
