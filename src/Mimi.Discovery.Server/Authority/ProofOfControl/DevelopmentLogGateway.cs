namespace Mimi.Discovery.Server.Authority.ProofOfControl;

/// <summary>
/// Development sink for the embedded default: writes codes to the service log, where the developer reads them.
/// Never configure it in production; start-up warns while it is active.
/// </summary>
internal sealed partial class DevelopmentLogGateway(ILogger<DevelopmentLogGateway> logger) : IOneTimeCodeGateway
{
    public Task<GatewayResult> SendAsync(OneTimeCodeMessage message, CancellationToken ct)
    {
        LogCode(logger, message.Sii, message.ChallengeId, message.Code);
        return Task.FromResult(new GatewayResult(true, "development-log"));
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning,
        Message = "DEVELOPMENT one-time code for {Sii} (challenge {ChallengeId}): {Code}")]
    private static partial void LogCode(ILogger logger, string sii, string challengeId, string code);
}
