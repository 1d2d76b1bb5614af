namespace Mimi.Discovery.Server.Hosting;

/// <summary>What is wrong with a JSON body, in the wire's terms.</summary>
/// <param name="Field">The JSON path of the value at fault (<c>identifiers[0]</c>), or null for the body as a whole.</param>
/// <param name="Code">A stable code: <c>json.malformed</c>, <c>json.wrong-type</c> or <c>json.invalid-text</c>.</param>
/// <param name="Detail">A sentence for the caller, naming no .NET type.</param>
internal readonly record struct JsonError(string? Field, string Code, string Detail);
