using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Mimi.Discovery.Identifiers;

/// <summary>
/// Parses the global-number form of RFC 3966 <c>tel:</c> URIs and normalizes it to E.164 with
/// libphonenumber. The character scan here only decides what reaches libphonenumber (digits after a
/// leading <c>+</c>); libphonenumber decides whether the number is possible and how it is written.
/// </summary>
internal static class TelParser
{
    /// <summary>E.164 allows at most 15 digits including the country calling code.</summary>
    private const int MaxDigits = 15;

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
    private static readonly FrozenSet<int> CallingCodes = Phones.GetSupportedCallingCodes().ToFrozenSet();

    internal static bool IsValidNumber(PhoneNumber number) => Phones.IsValidNumber(number);

    internal static bool TryParse(
        string input,
        ReadOnlySpan<char> number,
        [NotNullWhen(true)] out Sii? value,
        [NotNullWhen(false)] out IdentifierError? error)
    {
        value = null;
        var parameters = number.IndexOf(';');
        var subscriber = parameters < 0 ? number : number[..parameters];
        if (subscriber.IsEmpty || subscriber[0] != '+')
        {
            error = new IdentifierError(
                IdentifierErrorCodes.TelNotGlobal,
                IdentifierPart.Number,
                $"The number in '{input}' is not a global number; it must start with '+' and the country calling code.");
            return false;
        }

        if (parameters >= 0)
        {
            error = new IdentifierError(
                IdentifierErrorCodes.TelParametersNotAllowed,
                IdentifierPart.Parameters,
                $"The parameters '{number[parameters..]}' in '{input}' are not accepted; give the bare global number.");
            return false;
        }

        Span<char> digits = stackalloc char[MaxDigits + 1];
        var count = 0;
        foreach (var c in subscriber[1..])
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    break;
                }

                digits[count++] = c;
            }
            else if (c is not ('-' or '.' or '(' or ')'))
            {
                // RFC 3966's visual separators are exactly these four: a space (as printed numbers have) is refused,
                // not dropped, since a tel: URI with one is not a tel: URI.
                error = new IdentifierError(
                    IdentifierErrorCodes.TelInvalidCharacter,
                    IdentifierPart.Number,
                    char.IsAsciiLetter(c)
                        ? $"The number in '{input}' contains the letter '{c}'; only digits and the RFC 3966 visual separators '-', '.', '(' and ')' are allowed."
                        : $"The number in '{input}' contains {InputRules.Describe(c)}; only digits and the RFC 3966 visual separators '-', '.', '(' and ')' are allowed.");
                return false;
            }
        }

        if (count == 0)
        {
            error = Impossible(input, "has no digits");
            return false;
        }

        if (count > MaxDigits)
        {
            error = Impossible(input, $"has more than the {MaxDigits} digits E.164 allows");
            return false;
        }

        if (!HasAssignedCallingCode(digits[..count]))
        {
            error = UnknownCallingCode(input);
            return false;
        }

        PhoneNumber parsed;
        try
        {
            parsed = Phones.Parse(string.Concat("+", digits[..count]), "ZZ");
        }
        catch (NumberParseException e) when (e.ErrorType == ErrorType.INVALID_COUNTRY_CODE)
        {
            error = UnknownCallingCode(input);
            return false;
        }
        catch (NumberParseException)
        {
            error = Impossible(input, "is not a telephone number");
            return false;
        }

        var reason = Phones.IsPossibleNumberWithReason(parsed);
        switch (reason)
        {
            case PhoneNumberUtil.ValidationResult.IS_POSSIBLE:
                value = Sii.ForTel(Phones.Format(parsed, PhoneNumberFormat.E164), parsed);
                error = null;
                return true;
            case PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE:
                error = UnknownCallingCode(input);
                return false;
            case PhoneNumberUtil.ValidationResult.TOO_SHORT:
                error = Impossible(input, $"is too short for country calling code +{parsed.CountryCode}");
                return false;
            case PhoneNumberUtil.ValidationResult.TOO_LONG:
                error = Impossible(input, $"is too long for country calling code +{parsed.CountryCode}");
                return false;
            case PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
                error = Impossible(input, $"can only be dialled locally within country calling code +{parsed.CountryCode}");
                return false;
            default:
                error = Impossible(input, $"has a length no number under country calling code +{parsed.CountryCode} has");
                return false;
        }
    }

    /// <summary>Country calling codes are prefix-free, so at most one of the first one to three digits matches.</summary>
    private static bool HasAssignedCallingCode(ReadOnlySpan<char> digits)
    {
        var code = 0;
        for (var i = 0; i < 3 && i < digits.Length; i++)
        {
            code = (code * 10) + (digits[i] - '0');
            if (CallingCodes.Contains(code))
            {
                return true;
            }
        }

        return false;
    }

    private static IdentifierError UnknownCallingCode(string input) =>
        new(
            IdentifierErrorCodes.TelUnknownCountryCode,
            IdentifierPart.Number,
            $"The number in '{input}' does not start with an assigned country calling code.");

    private static IdentifierError Impossible(string input, string reason) =>
        new(
            IdentifierErrorCodes.TelImpossibleNumber,
            IdentifierPart.Number,
            $"The number in '{input}' {reason}.");
}
