using System.Globalization;

namespace BandwidthOperator.Shaping.Tc;

/// <summary>
/// A u32 filter node, hash table or link. Handle is the full u32 handle <c>htid:bucket:node</c>
/// (12:8:12 bits, <see cref="U32Handle"/>).
/// <list type="bullet">
/// <item>Hash table: <see cref="Divisor"/> set, no keys: <c>tc filter add … handle 1: u32 divisor 256</c>.</item>
/// <item>Link: <see cref="Link"/> set: <c>… u32 ht 800:: match u32 0 0 link 1: hashkey mask 0xff at -12</c>.</item>
/// <item>Match: keys and <see cref="FlowId"/> and/or <see cref="RedirectTo"/> (mirred egress redirect).</item>
/// </list>
/// </summary>
public sealed record U32Filter(
    string Device,
    TcHandle Parent,
    ushort Priority,
    ushort Protocol,
    uint Handle,
    IReadOnlyList<U32Key> Keys,
    TcHandle? FlowId = null,
    uint? Divisor = null,
    U32Link? Link = null,
    string? RedirectTo = null) : TcObject(Device)
{
    /// <summary><c>ETH_P_ALL</c>: <c>protocol all</c>.</summary>
    public const ushort ProtocolAll = 0x0003;

    public override TcObjectKey Key => new(TcObjectType.Filter, Device, Handle, Parent.Value, Priority);

    public bool Equals(U32Filter? other) =>
        other is not null
        && Device == other.Device
        && Parent == other.Parent
        && Priority == other.Priority
        && Protocol == other.Protocol
        && Handle == other.Handle
        && Keys.SequenceEqual(other.Keys)
        && FlowId == other.FlowId
        && Divisor == other.Divisor
        && Link == other.Link
        && RedirectTo == other.RedirectTo;

    public override int GetHashCode() => HashCode.Combine(Device, Parent, Priority, Handle, Keys.Count, FlowId, Divisor, RedirectTo);
}

/// <summary>Where a link node sends packets: table <paramref name="TargetHtid"/>, bucket chosen by hashing the masked word at <paramref name="HashOffset"/>.</summary>
public readonly record struct U32Link(uint TargetHtid, uint HashMask, int HashOffset);

/// <summary>u32 handle arithmetic: <c>htid</c> 12 bits, bucket 8 bits, node 12 bits.</summary>
public static class U32Handle
{
    public static uint Make(uint htid, uint bucket, uint node) => (htid << 20) | ((bucket & 0xFF) << 12) | (node & 0xFFF);

    public static uint Htid(uint handle) => handle >> 20;

    public static uint Bucket(uint handle) => (handle >> 12) & 0xFF;

    public static uint Node(uint handle) => handle & 0xFFF;

    /// <summary>tc's notation: <c>1:</c> (table), <c>1:c4:</c> (bucket), <c>1:c4:3</c> (node).</summary>
    public static string Format(uint handle)
    {
        var htid = Htid(handle);
        var bucket = Bucket(handle);
        var node = Node(handle);
        return node == 0 && bucket == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{htid:x}:")
            : string.Create(CultureInfo.InvariantCulture, $"{htid:x}:{bucket:x}:{node:x}");
    }
}
