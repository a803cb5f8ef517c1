using System.Buffers.Binary;
using System.Text;

namespace BandwidthOperator.Netlink.Protocol;

/// <summary>
/// The attributes (<c>struct nlattr</c>) of one level of a netlink message, indexed by type. When a
/// type repeats, the last one wins (what the kernel's parser does too).
/// </summary>
internal sealed class NetlinkAttributes
{
    private readonly ReadOnlyMemory<byte>[] _values;
    private readonly bool[] _present;

    private NetlinkAttributes(int max)
    {
        _values = new ReadOnlyMemory<byte>[max + 1];
        _present = new bool[max + 1];
    }

    public static NetlinkAttributes Parse(ReadOnlyMemory<byte> data, int max)
    {
        var attrs = new NetlinkAttributes(max);
        var span = data.Span;
        var offset = 0;
        while (offset + 4 <= span.Length)
        {
            var len = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]) & NetlinkNumbers.NLA_TYPE_MASK;
            if (len < 4 || offset + len > span.Length)
            {
                break;
            }

            if (type <= max)
            {
                attrs._values[type] = data.Slice(offset + 4, len - 4);
                attrs._present[type] = true;
            }

            offset += (len + 3) & ~3;
        }

        return attrs;
    }

    /// <summary>All attributes in order (for nests whose types are positions, such as action lists).</summary>
    public static IEnumerable<(ushort Type, ReadOnlyMemory<byte> Value)> Enumerate(ReadOnlyMemory<byte> data)
    {
        var offset = 0;
        while (offset + 4 <= data.Length)
        {
            var span = data.Span[offset..];
            var len = BinaryPrimitives.ReadUInt16LittleEndian(span);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[2..]) & NetlinkNumbers.NLA_TYPE_MASK);
            if (len < 4 || offset + len > data.Length)
            {
                yield break;
            }

            yield return (type, data.Slice(offset + 4, len - 4));
            offset += (len + 3) & ~3;
        }
    }

    public bool Has(int type) => type < _present.Length && _present[type];

    public ReadOnlyMemory<byte> Get(int type) => Has(type) ? _values[type] : ReadOnlyMemory<byte>.Empty;

    public NetlinkAttributes Nested(int type, int max) => Parse(Get(type), max);

    public uint? U32(int type) => Has(type) && _values[type].Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(_values[type].Span) : null;

    public ulong? U64(int type) => Has(type) && _values[type].Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(_values[type].Span) : null;

    public string? String(int type)
    {
        if (!Has(type))
        {
            return null;
        }

        var s = _values[type].Span;
        var nul = s.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? s[..nul] : s);
    }
}
