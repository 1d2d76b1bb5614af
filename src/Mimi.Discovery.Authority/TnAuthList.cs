using Org.BouncyCastle.Asn1;

namespace Mimi.Discovery.Authority;

/// <summary>
/// RFC 8226 TNAuthorizationList for a single telephone number. The module uses EXPLICIT tags, so
/// <c>one [2] TelephoneNumber</c> wraps the IA5String: <c>30 0F A2 0D 16 0B "12025550100"</c>.
/// TelephoneNumber is <c>IA5String (SIZE (1..15)) (FROM ("0123456789#*"))</c>; E.164 digits
/// without the '+' fit it.
/// </summary>
internal static class TnAuthList
{
    public static readonly DerObjectIdentifier Oid = new(AuthorityOids.TnAuthList);

    public static byte[] Encode(string digits) =>
        new DerSequence(new DerTaggedObject(true, 2, new DerIA5String(digits))).GetEncoded(Asn1Encodable.Der);
}
