using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace Mimi.Discovery.Authority;

internal static class CrlFactory
{
    public static IssuedCrl Create(
        ISignatureFactory signer,
        X509Name issuer,
        AuthorityKeyIdentifier authorityKeyIdentifier,
        IEnumerable<RevokedCredential> revoked,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate,
        long crlNumber)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        ArgumentOutOfRangeException.ThrowIfNegative(crlNumber);
        thisUpdate = CertificateAuthority.TruncateToSeconds(thisUpdate);
        nextUpdate = CertificateAuthority.TruncateToSeconds(nextUpdate);
        if (nextUpdate <= thisUpdate)
        {
            throw new ArgumentException("nextUpdate must be later than thisUpdate.", nameof(nextUpdate));
        }

        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(issuer);
        generator.SetThisUpdate(thisUpdate.UtcDateTime);
        generator.SetNextUpdate(nextUpdate.UtcDateTime);
        foreach (var entry in revoked)
        {
            var serial = SerialNumbers.ToBigInteger(SerialNumbers.Parse(entry.SerialHex, nameof(revoked)));
            // Reason 0 (unspecified) leaves the reasonCode extension out, as RFC 5280 section 5.3.1 asks.
            generator.AddCrlEntry(serial, CertificateAuthority.TruncateToSeconds(entry.RevokedAt).UtcDateTime, (int)(entry.Reason ?? RevocationReason.Unspecified));
        }

        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, authorityKeyIdentifier);
        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(crlNumber)));
        var crl = generator.Generate(signer);
        return new IssuedCrl(crl.GetEncoded(), crlNumber, thisUpdate, nextUpdate);
    }
}
