using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PhoneNumbers;

namespace Mimi.Discovery.Identifiers.Tests;

/// <summary>Properties every identifier parser keeps, checked on generated input.</summary>
public class NormalizationProperties
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>libphonenumber's example number for every region, number type and non-geographic code.</summary>
    private static readonly PhoneNumber[] ExampleNumbers = LoadExampleNumbers();

    private static readonly string[] IdnLabels = ["bücher", "münchen", "пример", "日本語", "ÿ"];
    private static readonly string[] TopLevelLabels = ["example", "test", "org", "invalid"];
    private static readonly string[] TelSeparators = ["", "", "", "-", ".", "(", ")"];

    private static readonly Gen<string> AsciiLabel =
        from first in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray())
        from middle in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()).ArrayOf()
        from last in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray())
        select middle.Length > 20 ? string.Concat(first, last) : string.Concat(first, new string(middle), last);

    /// <summary>Lower-case domains of two to four labels, some internationalized.</summary>
    private static readonly Gen<string> Domain =
        from count in Gen.Choose(1, 3)
        from labels in Gen.Frequency((4, AsciiLabel), (1, Gen.Elements(IdnLabels))).ArrayOf(count)
        from top in Gen.Elements(TopLevelLabels)
        select string.Join('.', labels.Append(top));

    /// <summary>
    /// Characters chosen to hit every branch of the parsers: separators, delimiters, percent signs,
    /// non-ASCII letters, combining marks, full-width forms, controls and lone surrogates.
    /// </summary>
    private static readonly Gen<string> Noise =
        from prefix in Gen.Elements("", "tel:", "tel:+", "TEL:+1", "mailto:", "MailTo:", "im:", "mimi://", "MIMI://a.example/", "mimi://a.example/u/")
        from body in Gen.Elements(
            "+0123456789 -.()@%:/?#;,=aAzZxX_~!$&'*\"<>[]é漢ü\u0000\u007f\uD800\uDC00\u0308\u3002ＡäÄ\t".ToCharArray()).ArrayOf()
        select prefix + new string(body);

    [Property(MaxTest = 500)]
    public void TryParse_never_throws_on_arbitrary_strings(string? input)
    {
        Sii.TryParse(input, out _, out _);
        Ssi.TryParse(input, out _, out _);
        ProviderDomain.TryNormalize(input, out _, out _);
    }

    [Property(MaxTest = 1000)]
    public Property TryParse_never_throws_on_identifier_shaped_noise() =>
        Prop.ForAll(Noise.ToArbitrary(), input =>
        {
            var siiOk = Sii.TryParse(input, out var sii, out var siiError);
            var ssiOk = Ssi.TryParse(input, out var ssi, out var ssiError);
            var domainOk = ProviderDomain.TryNormalize(input, out var domain, out var domainError);

            Assert.True(siiOk ? sii is not null && siiError is null : sii is null && siiError is not null);
            Assert.True(ssiOk ? ssi is not null && ssiError is null : ssi is null && ssiError is not null);
            Assert.True(domainOk ? domain is not null && domainError is null : domain is null && domainError is not null);
        });

    [Property(MaxTest = 1000)]
    public Property Normalization_is_idempotent_on_whatever_noise_parses() =>
        Prop.ForAll(Noise.ToArbitrary(), input =>
        {
            if (Sii.TryParse(input, out var sii, out _))
            {
                AssertIdempotent(sii);
            }

            if (Ssi.TryParse(input, out var ssi, out _))
            {
                AssertIdempotent(ssi);
            }
        });

    [Property(MaxTest = 300)]
    public Property Renderings_of_one_number_normalize_to_its_e164_form()
    {
        var rendering =
            from number in Gen.Elements(ExampleNumbers)
            from scheme in Gen.Elements("tel", "TEL", "Tel", "tEL")
            from style in Gen.Choose(0, 3)
            from separators in Gen.Elements(TelSeparators).ArrayOf(20)
            select (E164: Phones.Format(number, PhoneNumberFormat.E164), Input: scheme + ":" + Render(number, style, separators));

        return Prop.ForAll(rendering.ToArbitrary(), x =>
        {
            Assert.True(Sii.TryParse(x.Input, out var sii, out var error), $"{x.Input}: {error?.Message}");
            Assert.Equal("tel:" + x.E164, sii.Value);
            Assert.Equal(x.E164, sii.E164);
            AssertIdempotent(sii);
        });
    }

    [Property(MaxTest = 300)]
    public Property Mailto_normalization_is_idempotent_and_ignores_the_case_of_the_whole_address()
    {
        var atom = Gen.Elements("abcXYZ019!#$%&'*+-/=?^_`{|}~éü漢".ToCharArray()).NonEmptyListOf()
            .Select(chars => new string([.. chars.Take(10)]));
        var address =
            from atoms in atom.NonEmptyListOf()
            from encodeMask in Gen.Elements(true, false).ArrayOf(64)
            from domain in Domain
            from caseMask in Gen.Elements(true, false).ArrayOf(300)
            let local = string.Join('.', atoms.Take(4))
            select (
                Lower: "mailto:" + EncodeMailtoLocal(local, encodeMask) + "@" + domain,
                Varied: RandomCase("mailto", caseMask) + ":" + RandomCase(EncodeMailtoLocal(local, encodeMask), caseMask[6..]) + "@" + RandomCase(domain, caseMask[100..]),
                Local: local);

        return Prop.ForAll(address.ToArbitrary(), x =>
        {
            Assert.True(Sii.TryParse(x.Lower, out var lower, out var error), $"{x.Lower}: {error?.Message}");
            Assert.True(Sii.TryParse(x.Varied, out var varied, out error), $"{x.Varied}: {error?.Message}");
            Assert.Equal(lower, varied);
            Assert.Equal(x.Local.ToLowerInvariant(), lower.LocalPart);
            AssertIdempotent(lower);
        });
    }

    [Property(MaxTest = 300)]
    public Property Im_normalization_is_idempotent_and_ignores_case()
    {
        var handle =
            from first in Gen.Elements("abcxyzABCXYZ019".ToCharArray())
            from middle in Gen.Elements("abcxyzABCXYZ019._-".ToCharArray()).ArrayOf()
            from last in Gen.Elements("abcxyzABCXYZ019".ToCharArray())
            select string.Concat(first, new string([.. middle.Take(40)]), last);
        var address =
            from h in handle
            from domain in Domain
            from caseMask in Gen.Elements(true, false).ArrayOf(300)
            select (
                Lower: "im:" + h.ToLowerInvariant() + "@" + domain,
                Varied: RandomCase("im", caseMask) + ":" + RandomCase(h, caseMask[2..]) + "@" + RandomCase(domain, caseMask[50..]));

        return Prop.ForAll(address.ToArbitrary(), x =>
        {
            Assert.True(Sii.TryParse(x.Lower, out var lower, out var error), $"{x.Lower}: {error?.Message}");
            Assert.True(Sii.TryParse(x.Varied, out var varied, out error), $"{x.Varied}: {error?.Message}");
            Assert.Equal(lower, varied);
            AssertIdempotent(lower);
        });
    }

    [Property(MaxTest = 300)]
    public Property Ssi_normalization_is_idempotent_and_ignores_scheme_and_domain_case()
    {
        var localChar = Gen.Elements("abcXYZ019-._~!$&'()*+,;=:@ é漢/?#%\"".ToCharArray());
        var ssi =
            from kind in Gen.Elements("", "u", "d", "r")
            from chars in localChar.NonEmptyListOf()
            from encodeMask in Gen.Elements(true, false).ArrayOf(64)
            from domain in Domain
            from caseMask in Gen.Elements(true, false).ArrayOf(300)
            let local = new string([.. chars.Take(30)])
            let path = kind.Length == 0 ? "" : "/" + kind + "/" + EncodeSegment(local, encodeMask)
            select (
                Lower: "mimi://" + domain + path,
                Varied: RandomCase("mimi", caseMask) + "://" + RandomCase(domain, caseMask[4..]) + path,
                Local: kind.Length == 0 ? null : local);

        return Prop.ForAll(ssi.ToArbitrary(), x =>
        {
            Assert.True(Ssi.TryParse(x.Lower, out var lower, out var error), $"{x.Lower}: {error?.Message}");
            Assert.True(Ssi.TryParse(x.Varied, out var varied, out error), $"{x.Varied}: {error?.Message}");
            Assert.Equal(lower, varied);
            Assert.Equal(x.Local, lower.LocalPart);
            AssertIdempotent(lower);
        });
    }

    [Property(MaxTest = 300)]
    public Property Provider_domains_normalize_idempotently_and_ignore_case() =>
        Prop.ForAll(
            (from domain in Domain from mask in Gen.Elements(true, false).ArrayOf(300) select (domain, mask)).ToArbitrary(),
            x =>
            {
                Assert.True(ProviderDomain.TryNormalize(x.domain, out var lower, out var error), $"{x.domain}: {error?.Message}");
                Assert.True(ProviderDomain.TryNormalize(RandomCase(x.domain, x.mask), out var varied, out error), error?.Message);
                Assert.Equal(lower, varied);
                Assert.True(ProviderDomain.TryNormalize(lower, out var again, out _));
                Assert.Equal(lower, again);
                Assert.True(ProviderDomain.TryNormalize(lower + ".", out var dotted, out _));
                Assert.Equal(lower, dotted);
            });

    private static void AssertIdempotent(Sii sii)
    {
        Assert.True(Sii.TryParse(sii.Value, out var again, out var error), $"{sii.Value}: {error?.Message}");
        Assert.Equal(sii.Value, again.Value);
        Assert.Equal(sii.Kind, again.Kind);
        Assert.Equal(sii.LocalPart, again.LocalPart);
        Assert.Equal(sii.Domain, again.Domain);
        Assert.Equal(sii.E164, again.E164);
    }

    private static void AssertIdempotent(Ssi ssi)
    {
        Assert.True(Ssi.TryParse(ssi.Value, out var again, out var error), $"{ssi.Value}: {error?.Message}");
        Assert.Equal(ssi.Value, again.Value);
        Assert.Equal(ssi.Kind, again.Kind);
        Assert.Equal(ssi.LocalPart, again.LocalPart);
        Assert.Equal(ssi.Domain, again.Domain);
    }

    private static string Render(PhoneNumber number, int style, string[] separators)
    {
        switch (style)
        {
            case 0:
                return Phones.Format(number, PhoneNumberFormat.E164);
            case 1:
                // RFC 3966 has no space among its visual separators: the international format's spaces become hyphens.
                return Phones.Format(number, PhoneNumberFormat.INTERNATIONAL).Replace(' ', '-');
            case 2:
                return Phones.Format(number, PhoneNumberFormat.RFC3966)["tel:".Length..];
            default:
                var digits = Phones.Format(number, PhoneNumberFormat.E164)[1..];
                var builder = new System.Text.StringBuilder("+");
                for (var i = 0; i < digits.Length; i++)
                {
                    builder.Append(separators[i % separators.Length]).Append(digits[i]);
                }

                return builder.ToString();
        }
    }

    private static string RandomCase(string text, bool[] mask)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length && i < mask.Length; i++)
        {
            if (mask[i])
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }

    /// <summary>Percent-encodes the characters RFC 6068 requires and, where the mask says so, others too.</summary>
    private static string EncodeMailtoLocal(string local, bool[] mask) =>
        EncodeWhere(local, mask, c => "%/?#&=^`{|}".Contains(c, StringComparison.Ordinal) || c > '\u007f');

    private static string EncodeSegment(string local, bool[] mask) =>
        EncodeWhere(local, mask, c => " /?#%\"".Contains(c, StringComparison.Ordinal) || c > '\u007f');

    private static string EncodeWhere(string text, bool[] mask, Func<char, bool> mustEncode)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (mustEncode(c) || mask[i % mask.Length])
            {
                foreach (var b in System.Text.Encoding.UTF8.GetBytes(c.ToString()))
                {
                    builder.Append(mask[(i + 1) % mask.Length] ? $"%{b:x2}" : $"%{b:X2}");
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static PhoneNumber[] LoadExampleNumbers()
    {
        var numbers = new List<PhoneNumber>();
        foreach (var region in Phones.GetSupportedRegions())
        {
            foreach (var type in Phones.GetSupportedTypesForRegion(region))
            {
                if (Phones.GetExampleNumberForType(region, type) is { } number)
                {
                    numbers.Add(number);
                }
            }
        }

        foreach (var code in Phones.GetSupportedGlobalNetworkCallingCodes())
        {
            if (Phones.GetExampleNumberForNonGeoEntity(code) is { } number)
            {
                numbers.Add(number);
            }
        }

        // The parser accepts only numbers possible in full international form, not local-only ones.
        return [.. numbers.Where(n => Phones.IsPossibleNumberWithReason(n) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE)];
    }
}
