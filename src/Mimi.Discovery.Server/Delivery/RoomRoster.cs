using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>
/// The room's members as delivery routes to them, read from a public group state the hub or follower verified itself:
/// leaves whose basic credential is a MIMI client URI (others cannot be routed to).
/// </summary>
internal static class RoomRoster
{
    public static List<RoomMember> Of(MlsPublicGroupState state)
    {
        var roster = new List<RoomMember>(state.Members.Count);
        foreach (var leaf in state.Members)
        {
            if (leaf.Node.Credential.BasicIdentity is { } identity && Ssi.TryParse(identity, out var client, out _) && client.Kind == SsiKind.Client)
            {
                roster.Add(new RoomMember(client.Value, client.Domain));
            }
        }

        return roster;
    }

    /// <summary>The client URIs of <see cref="Of"/>, to test membership.</summary>
    public static HashSet<string> ClientsOf(MlsPublicGroupState state) => Of(state).Select(m => m.ClientUri).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The state a hosted room keeps. A room created before the hub kept one is read from the GroupInfo and tree it
    /// stored then (checked as at creation); null when it has neither.
    /// </summary>
    public static MlsPublicGroupState? OfHostedRoom(HostedRoom room, DateTimeOffset now)
    {
        if (room.State is { } encoded)
        {
            return MlsPublicGroupState.TryDecode(encoded, out var state, out var error)
                ? state
                : throw new InvalidOperationException($"The stored group state of {room.RoomId} does not decode: {error.Message}");
        }

        return room.GroupInfo is { } info && room.RatchetTree is { } tree && MlsGroupInfo.TryDecode(info, out var groupInfo, out _)
            && MlsPublicGroupState.TryCreate(groupInfo, tree, now, out var legacy, out _)
            ? legacy
            : null;
    }
}
