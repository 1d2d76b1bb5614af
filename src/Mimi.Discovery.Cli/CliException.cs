namespace Mimi.Discovery.Cli;

/// <summary>An expected failure of a CLI verb, reported without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
