using System.Buffers.Text;
using System.Text;

namespace Mimi.Discovery.Server.Tests.Authentication;

/// <summary>
/// Random and mutated JOSE inputs from a fixed seed: bit flips of valid inputs, lone surrogates (escaped and raw),
/// invalid UTF-8, truncation, huge numbers, deep nesting, wrong JSON types, and plain noise.
/// </summary>
internal sealed class JoseMutator(int seed)
{
    private static readonly string[] Escapes = ["\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83d", "\\u0000", "\\uZZZZ", "\\"];
    private static readonly byte[][] BadUtf8 = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];
    private const string Specials = "\ud800.=+/ ~\u00e9\0";

    private static readonly string[] Values =
    [
        "1e400", "-1e400", "99999999999999999999999999", "-9223372036854775809", "253402300800", "-1", "0.5", "null", "true", "[]", "{}",
        "[\"ES256\"]", "{\"alg\":\"ES256\"}", "\"\"", "\"ES256\"", "\"EdDSA\"", "\"none\"",
    ];

    private readonly Random _random = new(seed);

    public int Next(int max) => _random.Next(max);

    /// <summary>A compact JWS built from <paramref name="valid"/> with one to three mutations of its parts or text.</summary>
    public string Jws(string valid)
    {
        var parts = valid.Split('.');
        for (var n = 1 + _random.Next(3); n > 0 || string.Join('.', parts) == valid; n--)
        {
            switch (_random.Next(6))
            {
                case 0 or 1 or 2:
                    var index = _random.Next(Math.Min(parts.Length, 2));
                    parts[index] = Base64Url.EncodeToString(Json(Decode(parts[index])));
                    break;
                case 3:
                    parts[_random.Next(parts.Length)] = Base64Url.EncodeToString(Noise());
                    break;
                case 4:
                    var text = string.Join('.', parts);
                    parts = text[..Math.Max(0, _random.Next(text.Length + 1))].Split('.');
                    break;
                default:
                    var chars = string.Join('.', parts).ToCharArray();
                    if (chars.Length > 0)
                    {
                        chars[_random.Next(chars.Length)] = Specials[_random.Next(Specials.Length)];
                    }

                    parts = new string(chars).Split('.');
                    break;
            }
        }

        return string.Join('.', parts);
    }

    /// <summary>JSON bytes from <paramref name="valid"/> with one to three mutations.</summary>
    public byte[] Json(byte[] valid)
    {
        var bytes = valid;
        for (var n = 1 + _random.Next(3); n > 0; n--)
        {
            bytes = _random.Next(9) switch
            {
                0 => FlipBit(bytes),
                1 => InsertInString(bytes, Encoding.ASCII.GetBytes(Escapes[_random.Next(Escapes.Length)])),
                2 => InsertInString(bytes, BadUtf8[_random.Next(BadUtf8.Length)]),
                3 => bytes[..Math.Max(0, _random.Next(bytes.Length + 1))],
                4 or 5 => ReplaceValue(bytes, Values[_random.Next(Values.Length)]),
                6 => Nest(bytes),
                7 => Noise(),
                _ => InsertInString(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes) + " "), Encoding.UTF8.GetBytes("\\\"")),
            };
        }

        return bytes;
    }

    private byte[] FlipBit(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var copy = bytes.ToArray();
        copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    /// <summary>Puts <paramref name="insert"/> right after an opening quote (a name or a string value).</summary>
    private byte[] InsertInString(byte[] bytes, byte[] insert)
    {
        var quotes = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'"').ToArray();
        var at = quotes.Length == 0 ? 0 : quotes[_random.Next(quotes.Length)] + 1;
        return [.. bytes[..at], .. insert, .. bytes[at..]];
    }

    /// <summary>Replaces the value after a random colon by <paramref name="value"/> (a wrong type or a huge number).</summary>
    private byte[] ReplaceValue(byte[] bytes, string value)
    {
        var colons = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)':').ToArray();
        if (colons.Length == 0)
        {
            return Encoding.UTF8.GetBytes(value);
        }

        var start = colons[_random.Next(colons.Length)] + 1;
        var end = start;
        var inString = end < bytes.Length && bytes[end] == (byte)'"';
        end += inString ? 1 : 0;
        while (end < bytes.Length && (inString ? bytes[end] != (byte)'"' : bytes[end] is not ((byte)',' or (byte)'}' or (byte)']')))
        {
            end++;
        }

        end += inString && end < bytes.Length ? 1 : 0;
        return [.. bytes[..start], .. Encoding.UTF8.GetBytes(value), .. bytes[end..]];
    }

    private byte[] Nest(byte[] bytes)
    {
        var depth = _random.Next(2) == 0 ? 17 + _random.Next(60) : 1000 + _random.Next(5000);
        var open = _random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth)) + Encoding.UTF8.GetString(bytes) + string.Concat(Enumerable.Repeat(close, depth)));
    }

    private byte[] Noise()
    {
        var bytes = new byte[_random.Next(64)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Decode(string part)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return Encoding.UTF8.GetBytes("{}");
        }
    }
}
