using Microsoft.Extensions.Options;
using Mimi.Discovery.Model;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Protocol.Tls;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// A follower's side of <c>notify</c>: Welcomes go to the local clients whose KeyPackages they use (held in quarantine
/// when the target has not accepted the requester), other messages to the room's local members — each notify once per
/// message id.
/// </summary>
internal sealed partial class Follower(
    RoomStore store, WelcomeRouter welcomes, InboxSignals signals, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<Follower> logger)
{
    public async Task ApplyAsync(string source, string messageId, string roomId, ValueArray<FanoutMessage> messages, CancellationToken ct)
    {
        var own = options.Value.HostedDomain;
        var items = new List<NotifyItem>(messages.Count);
        foreach (var fanout in messages)
        {
            var message = fanout.Message;
            if (message.Welcome is { } welcome)
            {
                var tree = fanout.RatchetTreeOption is { Representation: RatchetTreeRepresentation.Full } option ? option.RatchetTree.ToArray() : null;
                var routes = (await welcomes.RouteAsync(roomId, welcome, ct)).Where(r => r.Domain == own).ToList();
                var deliveries = new List<InboxDelivery>(routes.Count);
                foreach (var route in routes)
                {
                    deliveries.Add(await welcomes.DeliveryAsync(route, roomId, message.Encoded.ToArray(), tree, ct));
                }

                if (routes.Count == 0)
                {
                    LogUnrouted(logger, roomId, source);
                }

                items.Add(new NotifyItem(InboxKind.Welcome, message.Encoded.ToArray(), Hub.Hash(message.Encoded.Span), deliveries,
                    routes.Select(r => new RoomMember(r.ClientUri, r.Domain)).ToList()));
                continue;
            }

            var kind = message.ContentType == MlsContentType.Application ? InboxKind.Application : InboxKind.Handshake;
            items.Add(new NotifyItem(kind, message.Encoded.ToArray(), Hub.Hash(message.Encoded.Span), null, null));
        }

        var notified = await store.ApplyNotifyAsync(source, messageId, roomId, items, time.GetUtcNow(), ct);
        signals.Notify(notified);
        LogApplied(logger, messages.Count, roomId, source, notified.Count);
    }

    [LoggerMessage(EventId = 6060, Level = LogLevel.Debug, Message = "Notify of {Count} message(s) for {Room} from {Source} reached {Clients} inbox(es)")]
    private static partial void LogApplied(ILogger logger, int count, string room, string source, int clients);

    [LoggerMessage(EventId = 6061, Level = LogLevel.Warning, Message = "A Welcome for {Room} from {Source} names no KeyPackage claimed here; dropped")]
    private static partial void LogUnrouted(ILogger logger, string room, string source);
}
