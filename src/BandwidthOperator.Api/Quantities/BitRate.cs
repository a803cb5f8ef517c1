using System.Globalization;

namespace BandwidthOperator.Api.Quantities;

/// <summary>A rate in bits per second, written as a Kubernetes quantity (<c>100M</c> = 100 Mbit/s).</summary>
public readonly record struct BitRate(ulong BitsPerSecond) : IComparable<BitRate>
{
    public static BitRate Zero => default;

    /// <summary>The rate in bytes per second, as the kernel keeps it (rounded down).</summary>
    public ulong BytesPerSecond => BitsPerSecond / 8;

    public static BitRate FromBytesPerSecond(ulong bytesPerSecond) => new(checked(bytesPerSecond * 8));

    public static BitRate FromMegabits(double megabits) => new((ulong)Math.Round(megabits * 1_000_000));

    public static bool TryParse(string? text, out BitRate rate, out string error)
    {
        var ok = QuantityParser.TryParse(text, out var v, out error);
        rate = new BitRate(v);
        return ok;
    }

    public static BitRate Parse(string text) =>
        TryParse(text, out var r, out var e) ? r : throw new FormatException($"bit rate {e}");

    public static BitRate operator +(BitRate a, BitRate b) => new(checked(a.BitsPerSecond + b.BitsPerSecond));

    public static BitRate operator -(BitRate a, BitRate b) => new(a.BitsPerSecond >= b.BitsPerSecond ? a.BitsPerSecond - b.BitsPerSecond : 0);

    public static bool operator <(BitRate a, BitRate b) => a.BitsPerSecond < b.BitsPerSecond;

    public static bool operator >(BitRate a, BitRate b) => a.BitsPerSecond > b.BitsPerSecond;

    public static bool operator <=(BitRate a, BitRate b) => a.BitsPerSecond <= b.BitsPerSecond;

    public static bool operator >=(BitRate a, BitRate b) => a.BitsPerSecond >= b.BitsPerSecond;

    public static BitRate Min(BitRate a, BitRate b) => a <= b ? a : b;

    public static BitRate Max(BitRate a, BitRate b) => a >= b ? a : b;

    public int CompareTo(BitRate other) => BitsPerSecond.CompareTo(other.BitsPerSecond);

    /// <summary>Kubernetes form: <c>100M</c>, <c>2500M</c>.</summary>
    public override string ToString() => QuantityParser.FormatDecimal(BitsPerSecond);

    /// <summary>The form <c>tc</c> accepts: <c>100mbit</c>, <c>2500mbit</c>, <c>1234bit</c>.</summary>
    public string ToTcString()
    {
        var v = BitsPerSecond;
        string[] units = ["bit", "kbit", "mbit", "gbit", "tbit"];
        var i = 0;
        while (i < units.Length - 1 && v != 0 && v % 1000 == 0)
        {
            v /= 1000;
            i++;
        }

        return v.ToString(CultureInfo.InvariantCulture) + units[i];
    }

    /// <summary>Human form for tables: <c>70.0 Mbit/s</c>.</summary>
    public string ToHuman()
    {
        double v = BitsPerSecond;
        string[] units = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];
        var i = 0;
        while (i < units.Length - 1 && v >= 1000)
        {
            v /= 1000;
            i++;
        }

        return v.ToString(i == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + units[i];
    }
}
