using System.Globalization;

namespace BandwidthOperator.Shaping.Tc;

/// <summary>A tc handle <c>major:minor</c> (16 bits each), as the kernel's <c>tcm_handle</c>/<c>tcm_parent</c>.</summary>
public readonly record struct TcHandle(uint Value) : IComparable<TcHandle>
{
    /// <summary><c>TC_H_ROOT</c>: the parent of a device's root qdisc.</summary>
    public static TcHandle Root => new(0xFFFF_FFFF);

    /// <summary><c>TC_H_INGRESS</c>: the parent of an ingress/clsact qdisc.</summary>
    public static TcHandle Ingress => new(0xFFFF_FFF1);

    public static TcHandle Unspecified => default;

    public ushort Major => (ushort)(Value >> 16);

    public ushort Minor => (ushort)(Value & 0xFFFF);

    public static TcHandle Of(ushort major, ushort minor) => new(((uint)major << 16) | minor);

    public int CompareTo(TcHandle other) => Value.CompareTo(other.Value);

    public static TcHandle Parse(string text)
    {
        if (text == "root")
        {
            return Root;
        }

        if (text == "ingress")
        {
            return Ingress;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new FormatException($"'{text}' is not a tc handle");
        }

        var major = colon == 0 ? (ushort)0 : ushort.Parse(text[..colon], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        var minorText = text[(colon + 1)..];
        var minor = minorText.Length == 0 ? (ushort)0 : ushort.Parse(minorText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return Of(major, minor);
    }

    /// <summary>tc's notation: <c>1:</c> for a qdisc, <c>1:a</c> for a class (hex), <c>root</c>, <c>ingress</c>.</summary>
    public override string ToString() => Value switch
    {
        0xFFFF_FFFF => "root",
        0xFFFF_FFF1 => "ingress",
        _ when Minor == 0 => string.Create(CultureInfo.InvariantCulture, $"{Major:x}:"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Major:x}:{Minor:x}"),
    };
}
