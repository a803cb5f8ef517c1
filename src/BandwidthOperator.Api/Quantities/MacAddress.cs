using System.Globalization;

namespace BandwidthOperator.Api.Quantities;

/// <summary>An EUI-48 address. Parsing accepts <c>52:54:00:6b:3c:01</c> (also with '-'); printing is lower-case with ':'.</summary>
public readonly record struct MacAddress(ulong Value) : IComparable<MacAddress>
{
    public bool IsMulticast => ((Value >> 40) & 0x01) != 0;

    public bool IsZero => Value == 0;

    public byte this[int index] => (byte)(Value >> (8 * (5 - index)));

    public static bool TryParse(string? text, out MacAddress mac, out string error)
    {
        mac = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var parts = text.Split(text.Contains('-', StringComparison.Ordinal) ? '-' : ':');
        if (parts.Length != 6)
        {
            error = $"'{text}' is not a MAC address (expected six hex octets such as 52:54:00:6b:3c:01)";
            return false;
        }

        ulong v = 0;
        foreach (var p in parts)
        {
            if (p.Length is < 1 or > 2 || !byte.TryParse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                error = $"'{text}' is not a MAC address (octet '{p}' is not hexadecimal)";
                return false;
            }

            v = (v << 8) | b;
        }

        mac = new MacAddress(v);
        error = string.Empty;
        return true;
    }

    public static MacAddress Parse(string text) =>
        TryParse(text, out var m, out var e) ? m : throw new FormatException($"MAC address {e}");

    public static MacAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 6)
        {
            throw new ArgumentException("a MAC address has 6 bytes", nameof(bytes));
        }

        ulong v = 0;
        foreach (var b in bytes)
        {
            v = (v << 8) | b;
        }

        return new MacAddress(v);
    }

    public byte[] ToBytes() => [this[0], this[1], this[2], this[3], this[4], this[5]];

    public static bool operator <(MacAddress a, MacAddress b) => a.Value < b.Value;

    public static bool operator >(MacAddress a, MacAddress b) => a.Value > b.Value;

    public static bool operator <=(MacAddress a, MacAddress b) => a.Value <= b.Value;

    public static bool operator >=(MacAddress a, MacAddress b) => a.Value >= b.Value;

    public int CompareTo(MacAddress other) => Value.CompareTo(other.Value);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{this[0]:x2}:{this[1]:x2}:{this[2]:x2}:{this[3]:x2}:{this[4]:x2}:{this[5]:x2}");
}
