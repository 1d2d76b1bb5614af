using Mimi.Discovery.Resolution;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// Where this instance serves each MIMI endpoint (draft-ietf-mimi-protocol-06). The directory document publishes
/// these templates; the endpoints are mapped from the same constants, so the two cannot drift.
/// </summary>
internal static class MimiPaths
{
    public const string Base = "/mimi/v1";

    /// <summary>
    /// Route templates relative to <see cref="Base"/>, with the directory document's variable names.
    /// </summary>
    public static readonly IReadOnlyDictionary<MimiEndpoint, string> Routes = new Dictionary<MimiEndpoint, string>
    {
        [MimiEndpoint.KeyMaterial] = "/keyMaterial/{targetUser}",
        [MimiEndpoint.Update] = "/update/{roomId}",
        [MimiEndpoint.Notify] = "/notify/{roomId}",
        [MimiEndpoint.SubmitMessage] = "/submitMessage/{roomId}",
        [MimiEndpoint.GroupInfo] = "/groupInfo/{roomId}",
        [MimiEndpoint.RequestConsent] = "/requestConsent/{targetUser}",
        [MimiEndpoint.UpdateConsent] = "/updateConsent/{requesterUser}",
        [MimiEndpoint.IdentifierQuery] = "/identifierQuery/{domain}",
        [MimiEndpoint.ReportAbuse] = "/reportAbuse/{roomId}",
        [MimiEndpoint.RoomState] = "/roomState/{roomId}",
    };

    /// <summary>The route to map for <paramref name="endpoint"/> inside the <see cref="Base"/> group.</summary>
    public static string Route(MimiEndpoint endpoint) => Routes[endpoint];
}
