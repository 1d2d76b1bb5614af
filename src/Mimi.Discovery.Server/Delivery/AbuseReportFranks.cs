using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The hub's check of the messages in an abuse report (draft-ietf-mimi-protocol-06 §5.9): each message's content must
/// be MIMI content naming the sender and this room, and its frank must be one this hub made — the server frank
/// recomputed from the content's salt, the sender and room URIs and the accepted timestamp (compared in constant time),
/// and the integrity signature verifying with the hub's franking key. A report of a message that never went through
/// the hub fails here.
/// </summary>
internal static class AbuseReportFranks
{
    public static ProblemHttpResult? Check(AbuseReport report, string roomId, HubKeys keys, DeliveryMetrics metrics)
    {
        for (var i = 0; i < report.Messages.Count; i++)
        {
            if (Refusal(report.Messages[i], roomId, keys) is { } reason)
            {
                metrics.InvalidFrank();
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemKinds.InvalidFrank, "A reported message's frank does not verify.",
                    $"messages[{i}]: {reason}", new Dictionary<string, object?> { ["messageIndex"] = i });
            }
        }

        return null;
    }

    private static string? Refusal(AbusiveMessage message, string roomId, HubKeys keys)
    {
        if (!MimiContentFranking.TryRead(message.MessageContent.Span, out var content, out var error))
        {
            return error;
        }

        if (content.SenderUri is null || content.RoomUri is null)
        {
            return "the content's extensions do not name the sender_uri (1) and room_uri (2)";
        }

        if (content.RoomUri != roomId)
        {
            return $"the content names room {content.RoomUri}, not {roomId}";
        }

        var frank = message.Frank;
        if (!MlsSignature.IsSupported(frank.FrankingSignatureCipherSuite))
        {
            return $"franking_signature_ciphersuite {(ushort)frank.FrankingSignatureCipherSuite} is not one this hub signs with";
        }

        var context = new ServerFrankingContext(content.SenderUri, content.RoomUri, message.AcceptedTimestamp);
        var tag = Franking.Tag(content.Salt.Span, message.MessageContent.Span);
        if (!Franking.IsServerFrank(keys.FrankingHubKey, frank, tag, context))
        {
            return "the server_frank is not this hub's for this content, sender, room and accepted_timestamp";
        }

        var signature = Franking.VerifySignature(frank, context, keys.FrankingKey(frank.FrankingSignatureCipherSuite).PublicKey);
        return signature == MlsSignatureCheck.Valid ? null : $"the franking_integrity_signature does not verify ({signature})";
    }
}
