using System.Globalization;
using System.Numerics;

namespace BandwidthOperator.Api.Quantities;

/// <summary>
/// Parses Kubernetes quantity strings (<c>100M</c>, <c>2.5G</c>, <c>64Ki</c>, <c>1e6</c>) into a whole,
/// non-negative number of units. Fractions that do not land on a whole unit are refused, as are
/// negative values and the milli suffix.
/// </summary>
internal static class QuantityParser
{
    private static readonly (string Suffix, BigInteger Factor)[] Suffixes =
    [
        ("Ki", BigInteger.Pow(1024, 1)), ("Mi", BigInteger.Pow(1024, 2)), ("Gi", BigInteger.Pow(1024, 3)),
        ("Ti", BigInteger.Pow(1024, 4)), ("Pi", BigInteger.Pow(1024, 5)), ("Ei", BigInteger.Pow(1024, 6)),
        ("k", BigInteger.Pow(1000, 1)), ("M", BigInteger.Pow(1000, 2)), ("G", BigInteger.Pow(1000, 3)),
        ("T", BigInteger.Pow(1000, 4)), ("P", BigInteger.Pow(1000, 5)), ("E", BigInteger.Pow(1000, 6)),
    ];

    private static readonly ulong[] Factors = [.. Suffixes.Select(x => (ulong)x.Factor)];

    public static bool TryParse(string? text, out ulong value, out string error)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var s = text.Trim();
        if (s.StartsWith('-'))
        {
            error = $"'{text}' is negative";
            return false;
        }

        if (s.StartsWith('+'))
        {
            s = s[1..];
        }

        if (TryWhole(s, out value))
        {
            error = string.Empty;
            return true;
        }

        BigInteger factor = 1;
        var exponent = 0;
        var number = s;
        var matched = false;
        foreach (var (suffix, f) in Suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                number = s[..^suffix.Length];
                matched = true;
                break;
            }
        }

        if (!matched)
        {
            var e = s.IndexOfAny(['e', 'E']);
            if (e > 0)
            {
                if (!int.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || exponent is < 0 or > 40)
                {
                    error = $"'{text}' is not a quantity (bad exponent)";
                    return false;
                }

                number = s[..e];
            }
            else if (s.EndsWith('m'))
            {
                error = $"'{text}' uses the milli suffix 'm'; use a whole number of units (M is mega)";
                return false;
            }
        }

        if (number.Length == 0 || !IsDecimal(number))
        {
            error = $"'{text}' is not a quantity (expected a number with an optional suffix such as 100M, 2.5G or 64Ki)";
            return false;
        }

        var dot = number.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? number : number.Remove(dot, 1);
        var scale = dot < 0 ? 0 : number.Length - dot - 1;
        var mantissa = BigInteger.Parse(digits.Length == 0 ? "0" : digits, CultureInfo.InvariantCulture);
        var numerator = mantissa * factor * BigInteger.Pow(10, exponent);
        var denominator = BigInteger.Pow(10, scale);
        if (numerator % denominator != 0)
        {
            error = $"'{text}' is not a whole number of units";
            return false;
        }

        var result = numerator / denominator;
        if (result > ulong.MaxValue)
        {
            error = $"'{text}' is too large";
            return false;
        }

        value = (ulong)result;
        error = string.Empty;
        return true;
    }

    /// <summary>Formats like Kubernetes' canonical form: the largest decimal suffix that keeps the number whole.</summary>
    public static string FormatDecimal(ulong value)
    {
        if (value == 0)
        {
            return "0";
        }

        string[] suffixes = ["", "k", "M", "G", "T", "P", "E"];
        var i = 0;
        while (i < suffixes.Length - 1 && value % 1000 == 0)
        {
            value /= 1000;
            i++;
        }

        return value.ToString(CultureInfo.InvariantCulture) + suffixes[i];
    }

    /// <summary>Formats with the largest binary suffix that keeps the number whole (bytes read best that way).</summary>
    public static string FormatBinary(ulong value)
    {
        if (value == 0)
        {
            return "0";
        }

        string[] suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        var i = 0;
        while (i < suffixes.Length - 1 && value % 1024 == 0)
        {
            value /= 1024;
            i++;
        }

        return i == 0 ? FormatDecimal(value) : value.ToString(CultureInfo.InvariantCulture) + suffixes[i];
    }

    /// <summary>
    /// The common case without BigInteger: a plain whole number of at most 18 digits with an optional suffix
    /// (<c>100M</c>, <c>64Ki</c>, <c>1500</c>) whose value fits; anything else is left to the general parser.
    /// </summary>
    private static bool TryWhole(string s, out ulong value)
    {
        value = 0;
        var length = s.Length;
        ulong factor = 1;
        for (var i = 0; i < Suffixes.Length; i++)
        {
            if (s.EndsWith(Suffixes[i].Suffix, StringComparison.Ordinal))
            {
                factor = Factors[i];
                length -= Suffixes[i].Suffix.Length;
                break;
            }
        }

        if (length is 0 or > 18)
        {
            return false;
        }

        ulong mantissa = 0;
        for (var i = 0; i < length; i++)
        {
            var c = s[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            mantissa = (mantissa * 10) + (ulong)(c - '0');
        }

        if (Math.BigMul(mantissa, factor, out var low) != 0)
        {
            return false;
        }

        value = low;
        return true;
    }

    private static bool IsDecimal(string s)
    {
        var dots = 0;
        var digits = 0;
        foreach (var c in s)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else
            {
                return false;
            }
        }

        return dots <= 1 && digits > 0;
    }
}
