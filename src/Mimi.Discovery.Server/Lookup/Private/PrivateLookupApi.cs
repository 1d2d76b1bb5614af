using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Oprf;
using Mimi.Discovery.RateLimiting;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Hosting;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>
/// Private lookups (R6, R8): the provider blinds each identifier, the service evaluates the OPRF (VOPRF, with a
/// proof) and serves buckets of encrypted records; it learns who asks and a bucket, never the identifier.
/// </summary>
internal static class PrivateLookupApi
{
    /// <summary>Response header naming the OPRF key an evaluation used; bucket fetches pass it back as <c>keyId</c>.</summary>
    public const string KeyIdHeader = "Mimi-Oprf-Key-Id";

    public static IEndpointRouteBuilder MapPrivateLookupApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/lookup/private").WithTags("Lookup");
        group.MapGet("/key", GetKey).WithName("GetPrivateLookupKey")
            .WithSummary("The OPRF public key evaluations are proven against, its id, and the bucket parameters. Providers only.")
            .RequireAuthorization(Policies.Provider);
        group.MapPost("/evaluate", EvaluateAsync).WithName("EvaluatePrivateLookup").RateLimited()
            .Accepts<byte[]>("application/octet-stream").Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream")
            .WithSummary("Evaluates blinded identifiers (RFC 9497 P256-SHA256 VOPRF, octet-stream in and out) with a DLEQ proof; rate-limited per requester. Providers only.")
            .RequireAuthorization(Policies.Provider);
        group.MapGet("/buckets/{bucket}", GetBucketAsync).WithName("GetPrivateLookupBucket").RateLimited()
            .WithSummary("The encrypted records of a bucket the caller may see, padded with decoys to at least k. Providers only.")
            .RequireAuthorization(Policies.Provider);
        group.MapPost("/rotate", RotateAsync).WithName("RotatePrivateLookupKey")
            .WithSummary("Rotates the OPRF key; the previous key answers until the records under the new one are built. Operator only.")
            .RequireAuthorization(Policies.Operator);
        return app;
    }

    private static Ok<PrivateLookupKeyView> GetKey(PrivateLookupKeys keys, IOptions<PrivateLookupOptions> options)
    {
        var key = keys.Serving.Key;
        return TypedResults.Ok(new PrivateLookupKeyView(key.KeyId, key.PublicKey.ToArray(), "P256-SHA256", "voprf", options.Value.PrefixBits,
            options.Value.BucketSize, options.Value.MaxBatch));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> EvaluateAsync(HttpContext http, ClaimsPrincipal user,
        PrivateLookupKeys keys, KeyedRateLimiter limiter, LookupMetrics metrics, IOptions<PrivateLookupOptions> options, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, ct);
        var o = options.Value;
        var request = OprfEvaluationRequest.Decode(body.GetBuffer().AsSpan(0, (int)body.Length), o.MaxBatch);
        if (!request.IsSuccess)
        {
            return Problems.InvalidRequest("body", $"Not an OPRF evaluation request ({request.Status}): expected a 2-byte big-endian count from 1 to {o.MaxBatch}, "
                + "then that many 33-byte compressed P-256 points, nothing else.");
        }

        var elements = request.Value.BlindedElements;
        var decision = await limiter.AcquireAsync("oprf:" + user.ClientId(), new RateLimitPolicy(o.EvaluationsPerRequester, o.Window), elements.Count, ct);
        metrics.PrivateEvaluation(user.ClientId(), decision, elements.Count);
        if (RateLimitResponses.Answer(http, "oprf", decision) is { } refused)
        {
            return refused;
        }

        var server = keys.Serving;
        http.Response.Headers[KeyIdHeader] = server.Key.KeyId;
        return TypedResults.Bytes(server.BlindEvaluate(elements).ToArray(), "application/octet-stream");
    }

    private static async Task<Results<Ok<PrivateBucketView>, ProblemHttpResult>> GetBucketAsync(string bucket, string? keyId, ClaimsPrincipal user,
        PrivateLookupKeys keys, PrivateRecordStore store, ClientDirectory directory, KeyedRateLimiter limiter, LookupMetrics metrics,
        IOptions<PrivateLookupOptions> options, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var o = options.Value;

        // Records are useless without evaluations, but scraping every bucket still costs the service: bound it too.
        var decision = await limiter.AcquireAsync("buckets:" + user.ClientId(), new RateLimitPolicy(o.BucketFetchesPerRequester, o.Window), 1, ct);
        if (RateLimitResponses.Answer(http, "buckets", decision) is { } refused)
        {
            metrics.BucketFetch(user.ClientId(), decision, found: false);
            return refused;
        }

        if (!long.TryParse(bucket, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number >= 1L << o.PrefixBits)
        {
            return Problems.InvalidRequest("bucket", $"bucket must be an integer from 0 to {(1L << o.PrefixBits) - 1}.");
        }

        if (keyId is null || !keys.TryGet(keyId, out _))
        {
            return Problems.NotFound($"No OPRF key '{keyId}' is in use; fetch /v1/lookup/private/key and evaluate again.");
        }

        // Visibility is decided exactly as for plain lookups: per identifier, by the one rule, then by the owner being active.
        var requester = user.ClientId();
        var stored = await store.ListActiveInBucketAsync(keyId, number, time.GetUtcNow(), ct);
        var served = new List<PrivateRecordView>(Math.Max(o.BucketSize, stored.Count));
        var sealedBySerial = stored.ToDictionary(r => r.Mapping.Serial, StringComparer.Ordinal);
        foreach (var identifier in stored.GroupBy(r => r.Mapping.Sii, StringComparer.Ordinal))
        {
            foreach (var mapping in MappingVisibility.Visible(identifier.Select(r => r.Mapping), requester))
            {
                if (directory.Find(mapping.Provider) is { Active: true })
                {
                    var record = sealedBySerial[mapping.Serial];
                    served.Add(new PrivateRecordView(record.Tag, record.Ciphertext));
                }
            }
        }

        metrics.BucketFetch(requester, decision, found: served.Count > 0);

        // Decoys look like the real records beside them, so neither the count nor the sizes tell how many are real.
        var real = served.Count;
        while (served.Count < o.BucketSize)
        {
            var length = real == 0 ? PrivateRecordCrypto.TypicalRecordLength : served[Random.Shared.Next(real)].Ciphertext.Length;
            var (tag, ciphertext) = PrivateRecordCrypto.Decoy(length);
            served.Add(new PrivateRecordView(tag, ciphertext));
        }

        served.Sort((a, b) => a.Tag.AsSpan().SequenceCompareTo(b.Tag));
        return TypedResults.Ok(new PrivateBucketView(keyId, number, [.. served]));
    }

    private static async Task<Results<Accepted<PrivateRotationView>, ProblemHttpResult>> RotateAsync(PrivateLookupKeys keys, PrivateRecordRebuilder rebuilder,
        AuditStore audit, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!keys.TryRotate(out var ring))
        {
            return Problems.Conflict("A rotation is in progress: records under the newest OPRF key are still being built.");
        }

        rebuilder.Request();
        // The key lives in a file, not the database: the act is recorded right after it, in a transaction of its own.
        await audit.RecordAsync(Audit.AuditActors.From(http), new AuditEvent(AuditActions.OprfRotate, AuditTargets.OprfKey, null,
            AuditChange.Of(("keyId", ring.Previous!.KeyId)), AuditChange.Of(("keyId", ring.Current.KeyId))), time.GetUtcNow(), ct);
        return TypedResults.Accepted("/v1/lookup/private/key", new PrivateRotationView(ring.Current.KeyId, ring.Previous!.KeyId, true));
    }
}
