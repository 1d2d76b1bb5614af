using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// Message franking (draft-ietf-mimi-protocol-06 §5.4.1, §5.9): the client's <c>franking_tag</c>, the hub's
/// <c>server_frank</c> and its <c>franking_integrity_signature</c> over <c>FrankingIntegrityTBS</c>.
/// </summary>
public static class Franking
{
    /// <summary>The length of a <c>franking_tag</c> and of a <c>server_frank</c> (HMAC-SHA256).</summary>
    public const int TagLength = 32;

    /// <summary>The SignWithLabel label of the integrity signature.</summary>
    public const string IntegrityLabel = "FrankingIntegrityTBS";

    /// <summary><c>franking_tag = HMAC_SHA256(salt, application_data)</c>, which the sender puts in <c>frank_aad</c>.</summary>
    public static byte[] Tag(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> applicationData) => HMACSHA256.HashData(salt, applicationData);

    /// <summary><c>server_frank = HMAC_SHA256(hub_key, franking_tag || ServerFrankingContext)</c>.</summary>
    public static byte[] ServerFrank(ReadOnlySpan<byte> hubKey, ReadOnlySpan<byte> frankingTag, ServerFrankingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var encoded = context.Encode();
        var input = new byte[frankingTag.Length + encoded.Length];
        frankingTag.CopyTo(input);
        encoded.CopyTo(input.AsSpan(frankingTag.Length));
        return HMACSHA256.HashData(hubKey, input);
    }

    /// <summary>The encoded <c>FrankingIntegrityTBS</c>: the server frank, the signing suite and the context.</summary>
    public static byte[] IntegrityTbs(ReadOnlySpan<byte> serverFrank, MlsCipherSuite suite, ServerFrankingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var w = new TlsWriter();
        w.WriteBytes(serverFrank);
        w.WriteUInt16((ushort)suite);
        context.Write(w);
        return w.ToArray();
    }

    /// <summary>The hub's frank of a message: its server frank, signed with the franking key of the room's suite.</summary>
    public static Frank Create(ReadOnlySpan<byte> hubKey, MlsSigningKey frankingKey, ReadOnlySpan<byte> frankingTag, ServerFrankingContext context)
    {
        ArgumentNullException.ThrowIfNull(frankingKey);
        var serverFrank = ServerFrank(hubKey, frankingTag, context);
        var signature = frankingKey.SignWithLabel(IntegrityLabel, IntegrityTbs(serverFrank, frankingKey.CipherSuite, context));
        return new Frank(ByteString.CopyFrom(serverFrank), frankingKey.CipherSuite, ByteString.CopyFrom(signature));
    }

    /// <summary>Verifies a frank's integrity signature with the hub's franking signature key (what a receiver does).</summary>
    public static MlsSignatureCheck VerifySignature(Frank frank, ServerFrankingContext context, ReadOnlySpan<byte> frankingSignatureKey)
    {
        ArgumentNullException.ThrowIfNull(frank);
        return MlsSignature.VerifyWithLabel(frank.FrankingSignatureCipherSuite, frankingSignatureKey, IntegrityLabel,
            IntegrityTbs(frank.ServerFrank.Span, frank.FrankingSignatureCipherSuite, context), frank.FrankingIntegritySignature.Span);
    }

    /// <summary>
    /// The <c>franking_tag</c> a PrivateMessage carries in the <c>frank_aad</c> item of its <c>authenticated_data</c>;
    /// false for another wire format, no SafeAAD, no such item or a tag that is not 32 bytes. Never throws.
    /// </summary>
    public static bool TryGetFrankingTag(MlsMessage message, out ByteString frankingTag)
    {
        ArgumentNullException.ThrowIfNull(message);
        frankingTag = default;
        if (message.WireFormat != MlsWireFormat.PrivateMessage)
        {
            return false;
        }

        // MLSMessage header, then PrivateMessage: group_id<V>, epoch, content_type, authenticated_data<V>, ...
        var r = new TlsReader(message.Encoded.Span);
        return r.TryReadUInt16("version", out _)
            && r.TryReadUInt16("wire_format", out _)
            && r.TrySkipOpaque("group_id", TlsLengthPrefix.Varint)
            && r.TryReadUInt64("epoch", out _)
            && r.TryReadUInt8("content_type", out _)
            && r.TryReadOpaque("authenticated_data", TlsLengthPrefix.Varint, out ReadOnlySpan<byte> aad)
            && SafeAad.TryFindFrankingTag(aad, out frankingTag);
    }

    /// <summary>
    /// Whether <paramref name="frank"/>'s server frank is the one <paramref name="hubKey"/> gives for the tag and context
    /// (compared in constant time) — what only the hub can check.
    /// </summary>
    public static bool IsServerFrank(ReadOnlySpan<byte> hubKey, Frank frank, ReadOnlySpan<byte> frankingTag, ServerFrankingContext context)
    {
        ArgumentNullException.ThrowIfNull(frank);
        return CryptographicOperations.FixedTimeEquals(ServerFrank(hubKey, frankingTag, context), frank.ServerFrank.Span);
    }
}
