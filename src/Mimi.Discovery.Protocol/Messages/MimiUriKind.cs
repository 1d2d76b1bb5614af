namespace Mimi.Discovery.Protocol;

/// <summary>What a MIMI URI names (draft-ietf-mimi-protocol-06 §3: provider, user <c>u</c>, client <c>d</c>, room <c>r</c>, MLS group <c>g</c>).</summary>
public enum MimiUriKind
{
    /// <summary><c>mimi://a.example</c>.</summary>
    Provider,

    /// <summary><c>mimi://a.example/u/alice</c>.</summary>
    User,

    /// <summary><c>mimi://a.example/d/ClientA1</c>.</summary>
    Client,

    /// <summary><c>mimi://a.example/r/clubhouse</c>.</summary>
    Room,

    /// <summary><c>mimi://a.example/g/clubhouse</c>.</summary>
    Group,
}
