namespace Mimi.Discovery.Storage;

/// <summary>Who asks whom, optionally for one room (a null room is consent for every room).</summary>
public sealed record ConsentPair(string Requester, string Target, string? Room)
{
    internal string RoomKey => Room ?? "";

    internal static string? RoomFrom(string key) => key.Length == 0 ? null : key;
}
