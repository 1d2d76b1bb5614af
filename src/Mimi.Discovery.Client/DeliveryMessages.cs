using System.Text;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Client;

/// <summary>
/// The TLS-encoded MIMI bodies a hosted client sends through the delivery API, built from what an MLS library gives
/// (MLSMessage bytes), and the answers decoded. Decoding failures throw <see cref="InvalidDataException"/>.
/// </summary>
public static class DeliveryMessages
{
    /// <summary>
    /// A signed KeyMaterialRequest from <paramref name="requesterUser"/> (client <paramref name="requesterClient"/>, a
    /// basic credential naming it) for <paramref name="targetUser"/>, optionally for a room, for KeyPackages of
    /// <paramref name="cipherSuite"/> (the group's). <paramref name="sign"/> makes the MLS <c>SignWithLabel</c> with the
    /// client's signature key, whose public half is <paramref name="signatureKey"/>: use it when the key lives in an MLS
    /// library.
    /// </summary>
    public static async Task<byte[]> KeyMaterialRequestAsync(string requesterUser, string requesterClient, string targetUser, string room,
        MlsCipherSuite cipherSuite, byte[] signatureKey, MlsLabelSigner sign, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sign);
        var unsigned = Unsigned(requesterUser, requesterClient, targetUser, room, cipherSuite, signatureKey);
        var signature = await sign(Protocol.KeyMaterialRequest.SignatureLabel, unsigned.EncodeTbs(), ct);
        return (unsigned with { Signature = ByteString.CopyFrom(signature) }).Encode();
    }

    /// <summary>
    /// A signed KeyMaterialRequest as <see cref="KeyMaterialRequestAsync"/> makes it, signed here with the client's MLS
    /// signature private key (<see cref="MlsSignature.SignWithLabel"/>).
    /// </summary>
    public static byte[] KeyMaterialRequest(string requesterUser, string requesterClient, string targetUser, string room,
        MlsCipherSuite cipherSuite, byte[] signatureKey, byte[] signaturePrivateKey)
    {
        var unsigned = Unsigned(requesterUser, requesterClient, targetUser, room, cipherSuite, signatureKey);
        var signature = MlsSignature.SignWithLabel(cipherSuite, signaturePrivateKey, Protocol.KeyMaterialRequest.SignatureLabel, unsigned.EncodeTbs());
        return (unsigned with { Signature = ByteString.CopyFrom(signature) }).Encode();
    }

    private static KeyMaterialRequest Unsigned(string requesterUser, string requesterClient, string targetUser, string room, MlsCipherSuite cipherSuite,
        byte[] signatureKey) =>
        new(MimiProtocol.Mls10, requesterUser, targetUser, room, ValueArray.Create(cipherSuite), new MlsRequiredCapabilities(default, default, default),
            ByteString.CopyFrom(signatureKey), MlsCredential.Basic(ByteString.CopyFrom(Encoding.UTF8.GetBytes(requesterClient))), ByteString.Empty);

    /// <summary>Decodes a KeyMaterialResponse.</summary>
    public static KeyMaterialResponse DecodeKeyMaterial(byte[] response) =>
        KeyMaterialResponse.TryDecode(response, out var decoded, out var error) ? decoded : throw new InvalidDataException(error.Message);

    /// <summary>A claimed KeyPackage as the MLSMessage an MLS library adds (version mls10, wire format mls_key_package).</summary>
    public static byte[] KeyPackageMessage(MlsKeyPackage keyPackage)
    {
        ArgumentNullException.ThrowIfNull(keyPackage);
        return MlsMessage.Frame(MlsWireFormat.KeyPackage, keyPackage.Encoded.Span);
    }

    /// <summary>
    /// An UpdateRequest carrying a commit with its Welcome (empty when the commit adds nobody, as an external commit or
    /// a removal), full GroupInfo and full ratchet tree (all MLSMessage bytes; <paramref name="ratchetTree"/> is the
    /// ratchet_tree extension data, a varint-prefixed vector). The hub reads the room's members from the tree.
    /// </summary>
    public static byte[] CommitUpdate(byte[] commit, byte[] welcome, byte[] groupInfo, byte[] ratchetTree)
    {
        ArgumentNullException.ThrowIfNull(welcome);
        MlsMessage? welcomeMessage = null;
        if (!MlsMessage.TryDecode(commit, out var commitMessage, out var error)
            || (welcome.Length > 0 && (!MlsMessage.TryDecode(welcome, out welcomeMessage, out error) || welcomeMessage.Welcome is null))
            || !MlsMessage.TryDecode(groupInfo, out var groupInfoMessage, out error) || groupInfoMessage.GroupInfo is null)
        {
            throw new InvalidDataException("commit, welcome and groupInfo must be MLSMessages of those kinds" + (error.Message is { Length: > 0 } m ? ": " + m : "."));
        }

        if (!MlsRatchetTree.TryReadExtensionData(ratchetTree, out var contents, out var treeError))
        {
            throw new InvalidDataException($"ratchetTree must be ratchet_tree extension data: {treeError.Message}");
        }

        var tree = new RatchetTreeOption(RatchetTreeRepresentation.Full, ByteString.CopyFrom(contents), null, ByteString.Empty);
        return new UpdateRequest(HandshakeBundle.ForCommit(commitMessage, welcomeMessage?.Welcome, GroupInfoOption.Full(groupInfoMessage.GroupInfo), tree)).Encode();
    }

    /// <summary>
    /// A GroupInfoRequest for an external join, signed through <paramref name="sign"/> (RFC 9420 SignWithLabel with the
    /// client's MLS signature key, wherever it lives): the client's credential names
    /// <paramref name="clientUri"/>, and the hub encrypts the GroupInfo to <paramref name="groupInfoPublicKey"/>.
    /// </summary>
    public static async Task<byte[]> GroupInfoRequestAsync(MlsCipherSuite cipherSuite, byte[] signatureKey, string clientUri, byte[] groupInfoPublicKey,
        MlsLabelSigner sign, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sign);
        var unsigned = new GroupInfoRequest(MimiProtocol.Mls10, cipherSuite, ByteString.CopyFrom(signatureKey),
            MlsCredential.Basic(ByteString.CopyFrom(Encoding.UTF8.GetBytes(clientUri))), ByteString.CopyFrom(groupInfoPublicKey), ByteString.Empty, ByteString.Empty);
        var signature = await sign(GroupInfoRequest.SignatureLabel, unsigned.EncodeTbs(), ct);
        return (unsigned with { Signature = ByteString.CopyFrom(signature) }).Encode();
    }

    /// <summary>
    /// Reads a GroupInfoResponse: checks the hub's signature over it (with the key in <c>hub_sender</c>), then opens the
    /// GroupInfo and ratchet tree with <paramref name="decryptWithLabel"/> (RFC 9420 DecryptWithLabel with the HPKE
    /// private key of the request's <c>groupInfoPublicKey</c>: label, context, kem_output, ciphertext → plaintext).
    /// Returns the GroupInfo as an MLSMessage and the ratchet tree as the ratchet_tree extension data, as an MLS library
    /// joins from them. A refusal or a bad signature throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task<(GroupInfoResponse Response, byte[] GroupInfo, byte[] RatchetTree)> OpenGroupInfo(
        byte[] response, Func<string, byte[], byte[], byte[], Task<byte[]>> decryptWithLabel)
    {
        ArgumentNullException.ThrowIfNull(decryptWithLabel);
        if (!GroupInfoResponse.TryDecode(response, out var decoded, out var error))
        {
            throw new InvalidDataException(error.Message);
        }

        if (decoded.Status != GroupInfoCode.Success)
        {
            throw new InvalidDataException($"The hub refused the GroupInfo: {decoded.Status}.");
        }

        if (MlsSignature.VerifyWithLabel(decoded.CipherSuite, decoded.HubSender!.SignatureKey.Span, GroupInfoResponse.SignatureLabel, decoded.EncodeTbs(),
                decoded.Signature.Span) != MlsSignatureCheck.Valid)
        {
            throw new InvalidDataException("The GroupInfoResponse's signature does not verify with its hub_sender key.");
        }

        var sealedText = decoded.EncryptedGroupInfoAndTree!;
        var plaintext = await decryptWithLabel(GroupInfoRatchetTreeTbe.EncryptionLabel, Encoding.UTF8.GetBytes(decoded.RoomId),
            sealedText.KemOutput.ToArray(), sealedText.Ciphertext.ToArray());
        if (!GroupInfoRatchetTreeTbe.TryDecode(plaintext, out var opened, out error))
        {
            throw new InvalidDataException(error.Message);
        }

        return (decoded, MlsMessage.Frame(MlsWireFormat.GroupInfo, opened.GroupInfo.Encoded.Span), MlsRatchetTree.ExtensionData(opened.RatchetTreeOption.RatchetTree.Span));
    }

    /// <summary>Decodes an UpdateRoomResponse.</summary>
    public static UpdateRoomResponse DecodeUpdate(byte[] response) =>
        UpdateRoomResponse.TryDecode(response, out var decoded, out var error) ? decoded : throw new InvalidDataException(error.Message);

    /// <summary>Decodes a SubmitMessageResponse.</summary>
    public static SubmitMessageResponse DecodeSubmit(byte[] response) =>
        SubmitMessageResponse.TryDecode(response, out var decoded, out var error) ? decoded : throw new InvalidDataException(error.Message);
}

/// <summary>The MLS <c>SignWithLabel(key, label, content)</c> made with a client's signature private key, wherever it lives.</summary>
/// <param name="label">The label without the <c>"MLS 1.0 "</c> prefix.</param>
/// <param name="content">The content to sign.</param>
/// <param name="ct">Cancels the signing.</param>
public delegate Task<byte[]> MlsLabelSigner(string label, byte[] content, CancellationToken ct);
