using System.ComponentModel.DataAnnotations;

namespace Mimi.Discovery.Server.Log.Witnessing;

/// <summary>One witness of the log (an item of <c>Log:Witnesses:List</c>).</summary>
internal sealed class LogWitnessOptions
{
    /// <summary>The witness's <c>cosignature/v1</c> verifier key, <c>name+keyid+base64(0x04 ‖ Ed25519 key)</c>.</summary>
    [Required]
    public string VerifierKey { get; set; } = "";

    /// <summary>The witness's submission prefix: requests go to <c>{Url}/add-checkpoint</c>.</summary>
    [Required]
    public string Url { get; set; } = "";
}
