using Microsoft.AspNetCore.Http.Metadata;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Delivery;

/// <summary>Reading the TLS-encoded body of a MIMI request, for the delivery and the consent endpoints alike.</summary>
internal static class MimiBodies
{
    /// <summary>
    /// States that the endpoints take a TLS-encoded body. draft-ietf-mimi-protocol-06 registers no media type for its
    /// TLS presentation-language messages, so they travel as <c>application/octet-stream</c>, as every peer here sends
    /// them; any other declared type is a 415 problem (<see cref="MediaTypes"/>).
    /// </summary>
    public static TBuilder AcceptsTlsBody<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AcceptsMetadata([MediaTypes.OctetStream], typeof(byte[])));

    /// <summary>
    /// Reads the body. With a <paramref name="limit"/>, reads at most <paramref name="limit"/> + 1 bytes: one byte over
    /// is enough for the decoder (given the same limit) to name the size limit. Without one, reads it all; the request
    /// size limit bounds it.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int? limit, CancellationToken ct)
    {
        if (limit is not { } max)
        {
            using var all = new MemoryStream();
            await request.Body.CopyToAsync(all, ct);
            return all.ToArray();
        }

        var buffer = new byte[max + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }

        return buffer.AsSpan(0, total).ToArray();
    }
}
