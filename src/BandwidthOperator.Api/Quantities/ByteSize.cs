using System.Globalization;

namespace BandwidthOperator.Api.Quantities;

/// <summary>A size in bytes, written as a Kubernetes quantity (<c>64Ki</c>, <c>1Mi</c>, <c>1500</c>).</summary>
public readonly record struct ByteSize(ulong Bytes) : IComparable<ByteSize>
{
    public static bool TryParse(string? text, out ByteSize size, out string error)
    {
        var ok = QuantityParser.TryParse(text, out var v, out error);
        size = new ByteSize(v);
        return ok;
    }

    public static ByteSize Parse(string text) =>
        TryParse(text, out var s, out var e) ? s : throw new FormatException($"byte size {e}");

    public static bool operator <(ByteSize a, ByteSize b) => a.Bytes < b.Bytes;

    public static bool operator >(ByteSize a, ByteSize b) => a.Bytes > b.Bytes;

    public static bool operator <=(ByteSize a, ByteSize b) => a.Bytes <= b.Bytes;

    public static bool operator >=(ByteSize a, ByteSize b) => a.Bytes >= b.Bytes;

    public int CompareTo(ByteSize other) => Bytes.CompareTo(other.Bytes);

    public override string ToString() => QuantityParser.FormatBinary(Bytes);

    /// <summary>The form <c>tc</c> accepts: a plain number of bytes followed by <c>b</c>.</summary>
    public string ToTcString() => Bytes.ToString(CultureInfo.InvariantCulture) + "b";
}
