using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Identifiers;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>
/// A client's public signing key, parsed once from its JWK: EC P-256 (ES256) or OKP Ed25519 (EdDSA).
/// Private members are refused, so an enrolment can never store a secret by mistake.
/// </summary>
internal sealed class ClientKey
{
    private readonly ECDsa? _ecdsa;
    private readonly Ed25519PublicKeyParameters? _ed25519;

    private ClientKey(string kid, string algorithm, string canonicalJwk, ECDsa? ecdsa, Ed25519PublicKeyParameters? ed25519)
    {
        Kid = kid;
        Algorithm = algorithm;
        Jwk = canonicalJwk;
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
    }

    public string Kid { get; }

    /// <summary>"ES256" or "EdDSA".</summary>
    public string Algorithm { get; }

    /// <summary>The public JWK as stored: kty, crv, coordinates and kid, nothing else.</summary>
    public string Jwk { get; }

    public static bool TryParse(string json, out ClientKey? key, out string error)
    {
        key = null;
        if (!UntrustedJson.TryParse(json, out var document))
        {
            error = "jwk is not JSON text (malformed, nested too deep, or holding text that is not valid Unicode).";
            return false;
        }

        using (document)
        {
            return TryParse(document.RootElement, out key, out error);
        }
    }

    public static bool TryParse(JsonElement jwk, out ClientKey? key, out string error)
    {
        key = null;
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            error = "jwk must be a JSON object.";
            return false;
        }

        // A body bound by the framework carries strings it never read: refuse what cannot be read as text before any read.
        if (!UntrustedJson.IsValidText(jwk))
        {
            error = "jwk holds a name or string that is not valid Unicode (a lone surrogate or invalid UTF-8).";
            return false;
        }

        if (jwk.TryGetProperty("d", out _))
        {
            error = "jwk contains a private key ('d'); enrol the public key only.";
            return false;
        }

        var kty = UntrustedJson.Text(jwk, "kty");
        var crv = UntrustedJson.Text(jwk, "crv");
        var x = Bytes(jwk, "x");
        if (kty == "EC" && crv == "P-256")
        {
            var y = Bytes(jwk, "y");
            if (x is not { Length: 32 } || y is not { Length: 32 })
            {
                error = "jwk EC P-256 keys need 32-byte base64url 'x' and 'y'.";
                return false;
            }

            ECDsa ecdsa;
            try
            {
                ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            }
            catch (CryptographicException)
            {
                error = "jwk 'x'/'y' is not a point on P-256.";
                return false;
            }

            var thumbprint = Thumbprint($$"""{"crv":"P-256","kty":"EC","x":"{{B64(x)}}","y":"{{B64(y)}}"}""");
            var kid = UntrustedJson.Text(jwk, "kid") ?? thumbprint;
            key = new ClientKey(kid, "ES256", $$"""{"kty":"EC","crv":"P-256","x":"{{B64(x)}}","y":"{{B64(y)}}","kid":{{JsonSerializer.Serialize(kid)}}}""", ecdsa, null);
            return ValidKid(kid, out error);
        }

        if (kty == "OKP" && crv == "Ed25519")
        {
            if (x is not { Length: 32 })
            {
                error = "jwk OKP Ed25519 keys need a 32-byte base64url 'x'.";
                return false;
            }

            Ed25519PublicKeyParameters ed25519;
            try
            {
                ed25519 = new Ed25519PublicKeyParameters(x);
            }
            catch (ArgumentException)
            {
                // BouncyCastle checks the encoding on construction: not every 32 bytes are a point.
                error = "jwk 'x' is not an Ed25519 public key.";
                return false;
            }

            var thumbprint = Thumbprint($$"""{"crv":"Ed25519","kty":"OKP","x":"{{B64(x)}}"}""");
            var kid = UntrustedJson.Text(jwk, "kid") ?? thumbprint;
            key = new ClientKey(kid, "EdDSA", $$"""{"kty":"OKP","crv":"Ed25519","x":"{{B64(x)}}","kid":{{JsonSerializer.Serialize(kid)}}}""", null, ed25519);
            return ValidKid(kid, out error);
        }

        error = "jwk must be an EC P-256 key (ES256) or an OKP Ed25519 key (EdDSA).";
        return false;
    }

    /// <summary>Verifies a JWS signature over <paramref name="signingInput"/> with this key's algorithm.</summary>
    public bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (_ecdsa is not null)
        {
            return signature.Length == 64 && _ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256);
        }

        var verifier = new Ed25519Signer();
        verifier.Init(false, _ed25519);
        verifier.BlockUpdate(signingInput);
        return signature.Length == 64 && verifier.VerifySignature(signature.ToArray());
    }

    private static bool ValidKid(string kid, out string error)
    {
        error = kid.Length is > 0 and <= 128 ? "" : "jwk 'kid' must be 1 to 128 characters.";
        return error.Length == 0;
    }

    private static string Thumbprint(string canonical) => B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static byte[]? Bytes(JsonElement e, string name)
    {
        var text = UntrustedJson.Text(e, name);
        if (text is null)
        {
            return null;
        }

        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
