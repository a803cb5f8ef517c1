using System.Globalization;
using System.Text.RegularExpressions;
using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Testing.Topology;

/// <summary>
/// Bytes and packets each class on a device has sent, read with <c>tc -s class show</c> (iproute2
/// prints no JSON for HTB classes, so the text is parsed): what a class carried on the wire,
/// to compare with the goodput its receivers saw.
/// </summary>
public static partial class TcClassCounters
{
    /// <summary>Class ID (e.g. <c>1:3</c>) → bytes and packets sent.</summary>
    public static IReadOnlyDictionary<string, (long Bytes, long Packets)> Read(NetworkNamespace ns, string device)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var text = ns.Tc("-s", "class", "show", "dev", device);
        var result = new Dictionary<string, (long, long)>();
        foreach (Match m in ClassBlock().Matches(text))
        {
            result[m.Groups["id"].Value] = (
                long.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture),
                long.Parse(m.Groups["pkts"].Value, CultureInfo.InvariantCulture));
        }

        return result;
    }

    [GeneratedRegex(@"^class \S+ (?<id>[0-9a-f]+:[0-9a-f]+)[^\n]*\n\s*Sent (?<bytes>\d+) bytes (?<pkts>\d+) pkt", RegexOptions.Multiline)]
    private static partial Regex ClassBlock();
}
