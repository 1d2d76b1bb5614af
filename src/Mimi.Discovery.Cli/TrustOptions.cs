using System.CommandLine;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Cli;

/// <summary>
/// The options saying which checkpoints a verb trusts (<c>--verifier-key</c>, <c>--witness-key</c>, <c>--quorum</c>),
/// shared by the verbs that rely on the log.
/// </summary>
internal sealed class TrustOptions
{
    public Option<string?> VerifierKey { get; } = new("--verifier-key") { Description = "The log's note verifier key (GET /log/key)." };

    public Option<string[]> WitnessKeys { get; } = new("--witness-key")
    {
        Description = "A witness's cosignature/v1 verifier key (repeatable); checkpoints must carry --quorum of their cosignatures.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int?> Quorum { get; } = new("--quorum") { Description = "How many distinct --witness-key witnesses must cosign (default: all given)." };

    public void AddTo(Command command)
    {
        command.Add(VerifierKey);
        command.Add(WitnessKeys);
        command.Add(Quorum);
    }

    /// <summary>The trust policy for <paramref name="logKey"/> and the witness options.</summary>
    public CheckpointTrust Create(ParseResult parse, string logKey)
    {
        try
        {
            return CheckpointTrust.Create(logKey, parse.GetValue(WitnessKeys) ?? [], parse.GetValue(Quorum));
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new CliException(e is ArgumentOutOfRangeException
                ? $"--quorum {parse.GetValue(Quorum)} is not between 0 and the number of distinct --witness-key given."
                : e.Message);
        }
    }
}
