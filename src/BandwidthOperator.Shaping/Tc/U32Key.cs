using System.Globalization;

namespace BandwidthOperator.Shaping.Tc;

/// <summary>
/// One u32 match key: the 32-bit word at <paramref name="Offset"/> bytes from the network header,
/// masked, must equal <paramref name="Value"/>. Value and mask are in host order as <c>tc</c> prints them
/// (<c>match 00005254/0000ffff at -16</c>); the kernel keeps them big-endian.
/// </summary>
public readonly record struct U32Key(uint Value, uint Mask, int Offset)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"match u32 0x{Value:x8} 0x{Mask:x8} at {Offset}");
}
