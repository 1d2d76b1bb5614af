using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Cli;

/// <summary>
/// <c>mimi witness serve</c>'s HTTP face: <c>POST /add-checkpoint</c> per C2SP tlog-witness (plain-text answers, as the
/// spec has them, not problem documents), and <c>GET /</c> with the witness's verifier key. Bodies are limited to
/// <see cref="AddCheckpointRequest.MaxLength"/>.
/// </summary>
internal static partial class WitnessServer
{
    public static async Task RunAsync(Witness witness, string listen, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // The witness reads no appsettings and no ASPNETCORE_ variables: its command line is its whole configuration.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls(listen);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = AddCheckpointRequest.MaxLength);
        builder.Logging.ClearProviders()
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
                console.UseUtcTimestamp = true;
            })
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(witness);

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mimi.Discovery.Cli.Witness");
        app.MapGet("/", () => TypedResults.Text(witness.VerifierKey + "\n", WitnessResponse.TextContentType));
        app.MapPost("/add-checkpoint", (Delegate)((HttpContext http) => AddCheckpointAsync(http, witness, logger)));
        await app.StartAsync(ct);
        LogListening(logger, string.Join(", ", app.Urls), witness.VerifierKey, string.Join(", ", witness.Origins));
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
    }

    private static async Task<IResult> AddCheckpointAsync(HttpContext http, Witness witness, ILogger logger)
    {
        var ct = http.RequestAborted;
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            return TypedResults.Text($"The body is larger than {AddCheckpointRequest.MaxLength} bytes or unreadable ({e.Message}).\n",
                WitnessResponse.TextContentType, statusCode: e.StatusCode);
        }

        WitnessResponse response;
        try
        {
            response = await witness.AddCheckpointAsync(body, ct);
        }
        catch (IOException e)
        {
            // The state could not be made durable: nothing was cosigned, the log will try again.
            LogStateFailed(logger, e);
            return TypedResults.Text("The witness could not save its state; try again later.\n", WitnessResponse.TextContentType,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        switch (response.Outcome)
        {
            case WitnessOutcome.Cosigned:
                LogCosigned(logger, response.Checkpoint!.Origin, response.Checkpoint.Size);
                break;
            case WitnessOutcome.Conflict or WitnessOutcome.BadProof:
                // A fork or a rewritten history, signed by the log: evidence against it, kept in the witness's log.
                LogRefused(logger, response.Checkpoint!.Origin, response.Checkpoint.Size, response.StatusCode, response.Body.TrimEnd());
                break;
            default:
                LogRejected(logger, response.StatusCode, response.Body.TrimEnd());
                break;
        }

        return TypedResults.Text(response.Body, response.ContentType, statusCode: response.StatusCode);
    }

    [LoggerMessage(EventId = 8150, Level = LogLevel.Information, Message = "Witness listening on {Urls} as {VerifierKey}; logs witnessed: {Origins}")]
    private static partial void LogListening(ILogger logger, string urls, string verifierKey, string origins);

    [LoggerMessage(EventId = 8151, Level = LogLevel.Information, Message = "Cosigned {Origin} at size {Size}")]
    private static partial void LogCosigned(ILogger logger, string origin, long size);

    [LoggerMessage(EventId = 8152, Level = LogLevel.Warning, Message = "Refused the checkpoint of {Origin} at size {Size} with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string origin, long size, int status, string reason);

    [LoggerMessage(EventId = 8153, Level = LogLevel.Information, Message = "Rejected an add-checkpoint request with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 8154, Level = LogLevel.Error, Message = "The witness state could not be saved; the checkpoint was not cosigned")]
    private static partial void LogStateFailed(ILogger logger, Exception exception);
}
