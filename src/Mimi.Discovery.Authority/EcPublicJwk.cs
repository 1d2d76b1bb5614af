using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.Authority;

/// <summary>An ECDSA P-256 public key as a JWK (RFC 7517/7518), identified by its RFC 7638 thumbprint.</summary>
public sealed record EcPublicJwk
{
    private const int CoordinateLength = 32;

    private EcPublicJwk(string x, string y)
    {
        X = x;
        Y = y;
        KeyId = Thumbprint(x, y);
    }

    /// <summary>The key id: the RFC 7638 SHA-256 JWK thumbprint, base64url.</summary>
    public string KeyId { get; }

    /// <summary>The x coordinate, base64url (32 octets).</summary>
    public string X { get; }

    /// <summary>The y coordinate, base64url (32 octets).</summary>
    public string Y { get; }

    /// <summary>The JWK of a P-256 key's public part.</summary>
    public static EcPublicJwk FromKey(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("Mapping assertion keys must be ECDSA P-256.", nameof(key));
        }

        return new EcPublicJwk(Base64Url.EncodeToString(parameters.Q.X), Base64Url.EncodeToString(parameters.Q.Y));
    }

    /// <summary>
    /// A JWK from its base64url coordinates; throws <see cref="FormatException"/> unless both are 32 octets and name a
    /// point on P-256.
    /// </summary>
    public static EcPublicJwk FromCoordinates(string x, string y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (Base64Url.DecodeFromChars(x).Length != CoordinateLength || Base64Url.DecodeFromChars(y).Length != CoordinateLength)
        {
            throw new FormatException("P-256 JWK coordinates must be 32 octets each.");
        }

        var jwk = new EcPublicJwk(x, y);
        try
        {
            // Checked here, so that a verifier built from a published key set later cannot fail on it.
            using var key = jwk.CreateVerificationKey();
        }
        catch (CryptographicException e)
        {
            throw new FormatException("P-256 JWK coordinates are not a point on the curve.", e);
        }

        return jwk;
    }

    /// <summary>A verification key for this JWK; the caller disposes it.</summary>
    public ECDsa CreateVerificationKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64Url.DecodeFromChars(X), Y = Base64Url.DecodeFromChars(Y) },
    });

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.</summary>
    private static string Thumbprint(string x, string y)
    {
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
