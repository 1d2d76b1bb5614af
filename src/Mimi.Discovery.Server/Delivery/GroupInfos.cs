using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The hub's side of <c>groupInfo</c> (draft-ietf-mimi-protocol-06, "Claim group key information"): a client about to
/// join by external commit asks, through its provider, for the room's latest GroupInfo and ratchet tree. The request
/// must be signed by the key it names, with a credential naming a client of the asking provider; that provider must
/// host a member of the room (it vouches for its own user, as a follower does for everything it submits). The answer
/// is HPKE-encrypted to the requester's <c>groupInfoPublicKey</c> and signed by the hub; the hub then accepts one
/// external commit from that signature key until the grant expires. Unknown rooms and refused requesters both get
/// <c>notAuthorized</c>, so the endpoint does not reveal which rooms exist. This hub issues no joining codes; a
/// request carrying one is treated like one without.
/// </summary>
internal sealed partial class GroupInfos(
    RoomStore store, HubKeys keys, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<GroupInfos> logger)
{
    /// <summary>The GroupInfoResponse to send, or a problem naming the field of the request that is wrong.</summary>
    public async Task<Results<FileContentHttpResult, ProblemHttpResult>> AnswerAsync(
        string roomId, GroupInfoRequest request, string requesterDomain, CancellationToken ct)
    {
        var suite = request.CipherSuite;
        if (!MlsSignature.IsSupported(suite) || !MlsHpke.IsSupported(suite))
        {
            return Problems.InvalidRequest("cipher_suite", $"This hub does not implement cipher suite {(ushort)suite}.");
        }

        var client = request.RequestingCredential.BasicIdentity;
        if (client is null || !Ssi.TryParse(client, out var ssi, out _) || ssi.Kind != SsiKind.Client)
        {
            return Problems.InvalidRequest("requestingCredential", "requestingCredential must be a basic credential whose identity is the requesting client's MIMI URI.");
        }

        if (ssi.Domain != requesterDomain)
        {
            return Problems.Forbidden($"requestingCredential names a client of {ssi.Domain}, not of the requesting provider {requesterDomain}.", "requestingCredential");
        }

        var check = MlsSignature.VerifyWithLabel(suite, request.RequestingSignatureKey.Span, GroupInfoRequest.SignatureLabel, request.EncodeTbs(), request.Signature.Span);
        if (check != MlsSignatureCheck.Valid)
        {
            return Problems.InvalidRequest(check == MlsSignatureCheck.BadKey ? "requestingSignatureKey" : "signature",
                check == MlsSignatureCheck.BadKey
                    ? $"requestingSignatureKey is not a key of cipher suite {(ushort)suite}'s signature scheme."
                    : "The signature does not verify: SignWithLabel(requestingSignatureKey, \"GroupInfoRequestTBS\", GroupInfoRequestTBS).");
        }

        var room = await store.FindRoomAsync(roomId, ct);
        if (room is null || !await store.HasMemberAtAsync(roomId, requesterDomain, ct) || Current(room) is not { } current)
        {
            LogRefused(logger, roomId, client, room is null ? "no such room" : room.GroupInfo is null ? "no GroupInfo yet" : "the provider hosts no member");
            return TypedResults.File(GroupInfoResponse.Failure(roomId, GroupInfoCode.NotAuthorized).Encode(), MimiApi.MediaType);
        }

        var plaintext = current.Encode();
        HpkeCiphertext sealedText;
        try
        {
            sealedText = MlsHpke.EncryptWithLabel(suite, request.GroupInfoPublicKey.Span, GroupInfoRatchetTreeTbe.EncryptionLabel, Encoding.UTF8.GetBytes(roomId), plaintext);
        }
        catch (CryptographicException)
        {
            return Problems.InvalidRequest("groupInfoPublicKey", $"groupInfoPublicKey is not an HPKE public key of cipher suite {(ushort)suite}.");
        }

        var unsigned = new GroupInfoResponse(MimiProtocol.Mls10, roomId, GroupInfoCode.Success, suite, keys.Sender(suite), sealedText, default);
        var response = unsigned with { Signature = ByteString.CopyFrom(keys.Key(suite).SignWithLabel(GroupInfoResponse.SignatureLabel, unsigned.EncodeTbs())) };
        await store.GrantGroupInfoAsync(new GroupInfoGrant(roomId, client, requesterDomain, request.RequestingSignatureKey.ToArray()),
            time.GetUtcNow() + options.Value.GroupInfoGrantLifetime, ct);
        LogGranted(logger, roomId, client, room.Epoch);
        return TypedResults.File(response.Encode(), MimiApi.MediaType);
    }

    /// <summary>
    /// The follower's side of bootstrapping (<c>roomState</c>, this implementation's extension): the room's latest
    /// GroupInfo, ratchet tree and pending proposals, in the clear, for a provider hosting a member of the room. The
    /// follower trusts none of it until it verified it (the GroupInfo signed by a member, the tree's hash in it).
    /// Unknown rooms and providers hosting no member both get 404, so the endpoint does not reveal which rooms exist.
    /// </summary>
    public async Task<Results<FileContentHttpResult, ProblemHttpResult>> RoomStateAsync(string roomId, string requesterDomain, CancellationToken ct)
    {
        var room = await store.FindRoomAsync(roomId, ct);
        if (room is null || !await store.HasMemberAtAsync(roomId, requesterDomain, ct) || Current(room) is not { } current)
        {
            return Problems.NotFound($"No room '{roomId}' with a member at {requesterDomain}.");
        }

        LogRoomState(logger, roomId, requesterDomain, room.Epoch);
        return TypedResults.File(current.Encode(), MimiApi.MediaType);
    }

    /// <summary>The room's latest GroupInfo (the committer's, checked by the hub), the hub's tree and the pending proposals; null without a GroupInfo.</summary>
    private GroupInfoRatchetTreeTbe? Current(HostedRoom room)
    {
        if (room.GroupInfo is null || room.RatchetTree is null || !MlsGroupInfo.TryDecode(room.GroupInfo, out var groupInfo, out _))
        {
            return null;
        }

        var pending = RoomRoster.OfHostedRoom(room, time.GetUtcNow())?.PendingProposals ?? [];
        return new GroupInfoRatchetTreeTbe(groupInfo, new RatchetTreeOption(RatchetTreeRepresentation.Full, ByteString.CopyFrom(room.RatchetTree), null, default),
            ValueArray.Create(pending.Select(p => new PendingProposal(p.Message, p.AcceptedTime)).ToArray()));
    }

    [LoggerMessage(EventId = 6072, Level = LogLevel.Debug, Message = "Hub gave {Domain} the state of {Room} at epoch {Epoch} (roomState)")]
    private static partial void LogRoomState(ILogger logger, string room, string domain, ulong epoch);

    [LoggerMessage(EventId = 6070, Level = LogLevel.Information, Message = "Hub gave {Client} the GroupInfo of {Room} at epoch {Epoch} for an external join")]
    private static partial void LogGranted(ILogger logger, string room, string client, ulong epoch);

    [LoggerMessage(EventId = 6071, Level = LogLevel.Information, Message = "Hub refused {Client} the GroupInfo of {Room}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string room, string client, string reason);
}
