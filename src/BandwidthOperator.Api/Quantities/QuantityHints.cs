using System.Globalization;
using System.Text.RegularExpressions;

namespace BandwidthOperator.Api.Quantities;

/// <summary>
/// What a person most likely meant when a rate is not a plain Kubernetes quantity in bits per second:
/// tc's spellings (<c>100mbit</c> → <c>100M</c>, <c>1mbps</c> — megabytes — → <c>8M</c>) and binary
/// suffixes (<c>100Mi</c> → <c>100M</c>). Also what counts as implausibly small for a rate.
/// </summary>
public static partial class QuantityHints
{
    /// <summary>Below this a rate is almost surely a missing suffix (<c>60</c> meant <c>60M</c>): 10 kbit/s.</summary>
    public static readonly BitRate ImplausiblySmall = new(10_000);

    /// <summary>The quantity to write instead of <paramref name="text"/>, or null when there is no likely one.</summary>
    public static string? Suggest(string? text)
    {
        var m = RateSpelling().Match(text?.Trim() ?? string.Empty);
        if (!m.Success)
        {
            return null;
        }

        var number = decimal.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        var prefix = m.Groups["p"].Value.ToUpperInvariant() switch
        {
            "K" => 1_000m,
            "M" => 1_000_000m,
            "G" => 1_000_000_000m,
            _ => 1_000_000_000_000m,
        };
        var bytes = m.Groups["u"].Value.Equals("bps", StringComparison.OrdinalIgnoreCase);
        var bits = number * prefix * (bytes ? 8 : 1);
        return bits == decimal.Truncate(bits) && bits <= ulong.MaxValue ? new BitRate((ulong)bits).ToString() : null;
    }

    /// <summary>Whether a rate is written with a binary suffix (<c>Ki</c>, <c>Mi</c>, …), which rates in bits per second do not use.</summary>
    public static bool HasBinarySuffix(string? text) => BinarySuffix().IsMatch(text?.Trim() ?? string.Empty);

    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)\s*(?<p>[kKmMgGtT])(?<i>i?)(?<u>bit|bps|b|)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RateSpelling();

    [GeneratedRegex(@"^\+?[0-9.]+[KMGTPE]i$", RegexOptions.CultureInvariant)]
    private static partial Regex BinarySuffix();
}
