namespace Mimi.Discovery.Identifiers;

/// <summary>Names of the identifier parts an <see cref="IdentifierError"/> can point at.</summary>
public static class IdentifierPart
{
    /// <summary>The input as a whole (empty, too long, surrounded by whitespace).</summary>
    public const string Input = "input";

    /// <summary>The URI scheme (<c>tel</c>, <c>mailto</c>, <c>im</c>, <c>mimi</c>).</summary>
    public const string Scheme = "scheme";

    /// <summary>The telephone number of a <c>tel:</c> URI.</summary>
    public const string Number = "number";

    /// <summary>Parameters of a <c>tel:</c> URI, such as <c>;ext=</c>.</summary>
    public const string Parameters = "parameters";

    /// <summary>The local part of a <c>mailto:</c> address or of a <c>mimi://</c> URI.</summary>
    public const string LocalPart = "local-part";

    /// <summary>The handle of an <c>im:</c> URI.</summary>
    public const string Handle = "handle";

    /// <summary>A domain name.</summary>
    public const string Domain = "domain";

    /// <summary>Header fields (<c>?subject=…</c>) or a second recipient of a <c>mailto:</c> URI.</summary>
    public const string Headers = "headers";

    /// <summary>The authority of a <c>mimi://</c> URI.</summary>
    public const string Authority = "authority";

    /// <summary>User information (<c>user@</c>) in a <c>mimi://</c> authority.</summary>
    public const string UserInfo = "userinfo";

    /// <summary>A port in a <c>mimi://</c> authority.</summary>
    public const string Port = "port";

    /// <summary>The kind segment of a <c>mimi://</c> path (<c>u</c>, <c>d</c>, <c>r</c>).</summary>
    public const string Kind = "kind";

    /// <summary>The path of a <c>mimi://</c> URI.</summary>
    public const string Path = "path";

    /// <summary>A query component (<c>?…</c>).</summary>
    public const string Query = "query";

    /// <summary>A fragment component (<c>#…</c>).</summary>
    public const string Fragment = "fragment";
}
