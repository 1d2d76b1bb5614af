using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Authority;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Server.Lookup;
using Mimi.Discovery.Storage;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Log.Openings;

/// <summary>
/// What a monitoring provider asks of the authority (docs/accountability.md §4): the identifier indexes of its users'
/// identifiers, and the openings of the entries found under them. Both are given only for identifiers the caller
/// holds a live credential for or has just proven control of (<see cref="EntryAccess"/>; an entry about one of the
/// caller's own credentials is always opened to it), and both count against the
/// caller's lookup quota, one unit per item: an index or an opening tells as much as a lookup.
/// </summary>
internal static class OpeningsApi
{
    /// <summary>Items per request.</summary>
    public const int MaxItems = 100;

    public static IEndpointRouteBuilder MapOpeningsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/log").WithTags("Log");
        group.MapPost("/indexes", IndexesAsync).WithName("GetIdentifierIndexes").RateLimited()
            .WithSummary("The identifier index (VRF output and proof) of each identifier under every published VRF key, for identifiers the caller holds a live credential for or has just proven control of. Providers only.")
            .RequireAuthorization(Policies.Provider);
        group.MapPost("/openings", OpeningsAsync).WithName("GetEntryOpenings").RateLimited()
            .WithSummary("The openings of format-2 log entries about identifiers the caller holds a live credential for or has just proven control of. Providers only.")
            .RequireAuthorization(Policies.Provider);
        return app;
    }

    private static async Task<Results<Ok<IndexesResponse>, ProblemHttpResult>> IndexesAsync(
        IndexesRequest request, ClaimsPrincipal user, EntryAccess access, IndexProofs proofs, KeyedRateLimiter limiter, IOptions<LookupOptions> lookup,
        HttpContext http, CancellationToken ct)
    {
        if (request.Identifiers is not { Length: > 0 and <= MaxItems } identifiers)
        {
            return Problems.InvalidRequest("identifiers", $"identifiers must hold 1 to {MaxItems} identifiers.");
        }

        var values = new List<string>(identifiers.Length);
        for (var i = 0; i < identifiers.Length; i++)
        {
            if (!Sii.TryParse(identifiers[i], out var sii, out var error))
            {
                return Problems.InvalidIdentifier($"identifiers[{i}]", error.Code, error.Message);
            }

            if (!values.Contains(sii.Value))
            {
                values.Add(sii.Value);
            }
        }

        if (await ChargeAsync(user, values.Count, limiter, lookup.Value, http, ct) is { } refused)
        {
            return refused;
        }

        var allowed = await access.AllowedAsync(user.ClientId(), values, ct);
        var keys = new[] { proofs.Keys.Current }.Concat(proofs.Keys.Previous).ToArray();
        var indexes = new List<IdentifierIndexView>(allowed.Count * keys.Length);
        var refusals = new List<IdentifierRefusalView>();
        var beta = new byte[EcVrf.OutputLength];
        foreach (var sii in values)
        {
            if (!allowed.Contains(sii))
            {
                refusals.Add(new IdentifierRefusalView(sii, OpeningRefusal.NotHolder));
                continue;
            }

            foreach (var key in keys)
            {
                var proof = key.Prove(IndexedLogEntries.Alpha(sii));
                EcVrf.TryProofToHash(proof, beta);
                indexes.Add(new IdentifierIndexView(sii, key.PublicKey.KeyId, Convert.ToBase64String(proof), Convert.ToBase64String(beta)));
            }
        }

        return TypedResults.Ok(new IndexesResponse([.. indexes], [.. refusals]));
    }

    private static async Task<Results<Ok<OpeningsResponse>, ProblemHttpResult>> OpeningsAsync(
        OpeningsRequest request, ClaimsPrincipal user, EntryAccess access, LogStore log, KeyedRateLimiter limiter, IOptions<LookupOptions> lookup,
        HttpContext http, CancellationToken ct)
    {
        if (request.LogIndexes is not { Length: > 0 and <= MaxItems } requested)
        {
            return Problems.InvalidRequest("logIndexes", $"logIndexes must hold 1 to {MaxItems} log indexes.");
        }

        for (var i = 0; i < requested.Length; i++)
        {
            if (requested[i] < 0)
            {
                return Problems.InvalidRequest($"logIndexes[{i}]", "A log index is ≥ 0.");
            }
        }

        var indexes = requested.Distinct().ToArray();
        if (await ChargeAsync(user, indexes.Length, limiter, lookup.Value, http, ct) is { } refused)
        {
            return refused;
        }

        var head = await log.GetHeadAsync(ct);
        var stored = (await log.ReadOpeningsAsync(indexes.Where(i => i < head.Size).ToArray(), ct)).ToDictionary(o => o.LogIndex);
        var allowed = await access.AllowedAsync(user.ClientId(), stored.Values.Select(o => o.Sii).Distinct().ToList(), ct);
        var openings = new List<OpeningView>();
        var refusals = new List<OpeningRefusalView>();
        foreach (var index in indexes)
        {
            if (index >= head.Size)
            {
                refusals.Add(new OpeningRefusalView(index, OpeningRefusal.NotFound));
            }
            else if (stored.TryGetValue(index, out var opening))
            {
                // The issuance or revocation of the caller's own credential tells it nothing new, even once that credential
                // is revoked or expired: a monitor still sees its own entries as expected.
                if (allowed.Contains(opening.Sii) || (CommittedValue.TryParse(opening.Value, out var value) && value!.Provider == user.ClientId()))
                {
                    openings.Add(new OpeningView(index, Convert.ToBase64String(opening.Opening), Convert.ToBase64String(opening.Value)));
                }
                else
                {
                    refusals.Add(new OpeningRefusalView(index, OpeningRefusal.NotHolder));
                }
            }
            else
            {
                // No opening: a format-1 entry (public anyway), or an entry the authority cannot open, which a monitor
                // must treat like one it will not open.
                var entry = await log.ReadEntriesAsync(index, 1, ct);
                var format1 = entry.Count == 1 && LogEntryContent.TryParse(entry[0].Data, out var content) && content!.Format == 1;
                refusals.Add(new OpeningRefusalView(index, format1 ? OpeningRefusal.FormatOne : OpeningRefusal.NotHolder));
            }
        }

        return TypedResults.Ok(new OpeningsResponse([.. openings], [.. refusals]));
    }

    /// <summary>One unit per item against the caller's lookup quota (the same bucket as <c>POST /v1/lookup</c>).</summary>
    private static async Task<ProblemHttpResult?> ChargeAsync(ClaimsPrincipal user, int items, KeyedRateLimiter limiter, LookupOptions o, HttpContext http,
        CancellationToken ct)
    {
        var decision = await limiter.AcquireAsync("lookup:" + user.ClientId(), new RateLimitPolicy(o.LookupsPerRequester, o.Window), items, ct);
        return RateLimitResponses.Answer(http, "lookup", decision);
    }
}
