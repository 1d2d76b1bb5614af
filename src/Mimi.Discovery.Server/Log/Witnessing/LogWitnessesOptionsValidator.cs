using Microsoft.Extensions.Options;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log.Witnessing;

/// <summary>What annotations cannot say of <c>Log:Witnesses</c>: keys that parse, distinct witnesses, http(s) URLs, a reachable quorum.</summary>
internal sealed class LogWitnessesOptionsValidator : IValidateOptions<LogWitnessesOptions>
{
    public ValidateOptionsResult Validate(string? name, LogWitnessesOptions options)
    {
        var failures = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.List.Count; i++)
        {
            var witness = options.List[i];
            if (!CosignatureVerifier.TryParse(witness.VerifierKey, out _))
            {
                failures.Add($"Log:Witnesses:List:{i}:VerifierKey is not a cosignature/v1 verifier key (name+keyid+base64(0x04 ‖ Ed25519 key)), as 'mimi witness init' prints.");
            }
            else if (!keys.Add(witness.VerifierKey))
            {
                failures.Add($"Log:Witnesses:List:{i}:VerifierKey lists a witness twice; a quorum counts distinct witnesses.");
            }

            if (!Uri.TryCreate(witness.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0)
            {
                failures.Add($"Log:Witnesses:List:{i}:Url must be an absolute http(s) URL without a query (the witness's submission prefix).");
            }
        }

        if (options.Quorum > options.List.Count)
        {
            failures.Add($"Log:Witnesses:Quorum ({options.Quorum}) must not exceed the number of witnesses in Log:Witnesses:List ({options.List.Count}).");
        }

        if (options.MinRetryInterval > options.MaxRetryInterval)
        {
            failures.Add("Log:Witnesses:MinRetryInterval must not exceed Log:Witnesses:MaxRetryInterval.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
