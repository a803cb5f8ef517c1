using System.Globalization;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Trees;

/// <summary>
/// One direction's class tree of a bridge, on an IFB device of ours that every guest port feeds
/// (docs/architecture.md): inbound <c>bwin{bridge ifindex}</c>, fed by each guest port's clsact egress;
/// outbound <c>bwout{bridge ifindex}</c>, fed by each guest port's clsact ingress.
/// <code>
/// qdisc 1: htb default 2 r2q 2026                 (r2q marks the tree as ours)
/// └─ class 1:1  rate = ceil = capacity
///    ├─ class 1:2     rate = max(capacity − Σrates − small, minimum), ceil = capacity    + leaf 2:
///    ├─ class 1:ffff  prio 0, small TCP segments (ACKs), rate = 1% of capacity          (kernel's leaf)
///    └─ class 1:N     rate = floor, ceil = interface average or capacity               + leaf N:
/// filters (prio 1, protocol all, u32): per 4,095 IDs a hash table linked from 800:: hashing the last byte
/// of the destination (inbound) or source (outbound) MAC, a node per class matching the whole MAC, then
/// 800::800 and 800::801 sending IPv4/IPv6 TCP segments under 128 bytes to 1:ffff.
/// </code>
/// The MAC nodes come first (a floored guest's own small packets stay in its class); the small-packet
/// nodes catch what no MAC matched, so the ACKs of a floored flow toward an unfloored sender do not wait
/// behind a greedy neighbour's queue in 1:2.
/// </summary>
public static class ShapingTree
{
    public const string InboundIfbPrefix = "bwin";
    public const string OutboundIfbPrefix = "bwout";

    /// <summary>The small-packet class; class IDs of interfaces end at 0xFFFE.</summary>
    public const ushort SmallPacketClass = 0xFFFF;
    public const uint SmallPacketNodeV4 = 0x800;
    public const uint SmallPacketNodeV6 = 0x801;
    public const uint OtherPriority = 1;

    /// <summary>The rate of a class that only caps (a limit without a floor): it borrows everything else.</summary>
    public static BitRate LimitOnlyRate { get; } = new(8_000);

    /// <summary>The capacity of a tree that only caps (the network has no average in that direction): effectively unlimited.</summary>
    public static BitRate Unbounded { get; } = new(100_000_000_000);

    public static string IfbName(Direction direction, int bridgeIndex) =>
        (direction == Direction.Inbound ? InboundIfbPrefix : OutboundIfbPrefix) + bridgeIndex.ToString(CultureInfo.InvariantCulture);

    /// <summary>The direction and bridge index an IFB of ours stands for, or null when the name is not ours.</summary>
    public static (Direction Direction, int BridgeIndex)? ParseIfb(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        foreach (var (prefix, direction) in new[] { (InboundIfbPrefix, Direction.Inbound), (OutboundIfbPrefix, Direction.Outbound) })
        {
            if (device.StartsWith(prefix, StringComparison.Ordinal) && device.Length > prefix.Length
                && device[prefix.Length..].All(char.IsAsciiDigit)
                && int.TryParse(device.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return (direction, index);
            }
        }

        return null;
    }

    public static bool IsOurIfb(string device) => ParseIfb(device) is not null;

    public static BitRate SmallPacketRate(BitRate capacity) => BridgeTree.DefaultClassMinimum(capacity);

    public static IReadOnlyList<TcObject> Build(string ifb, Direction direction, BitRate capacity, ByteSize? burst, IReadOnlyList<FloorClass> classes, QdiscOptions leaf)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var root = BridgeTree.RootHandle;
        var objects = new List<TcObject>(8 + (classes.Count * 3))
        {
            new IfbLink(ifb),
            new Qdisc(ifb, root, TcHandle.Root, new HtbQdiscOptions(BridgeTree.DefaultClass, BridgeTree.OwnerMarkR2q)),
        };
        var rootBurst = burst ?? BridgeTree.Burst(capacity);
        objects.Add(new HtbClass(ifb, BridgeTree.ClassHandle(BridgeTree.RootClass), root, capacity, capacity, rootBurst, rootBurst, BridgeTree.Quantum(capacity)));

        var sum = BitRate.Zero;
        foreach (var c in classes)
        {
            sum += c.Floor;
        }

        objects.Add(DefaultClass(ifb, capacity, sum));
        objects.Add(Leaf(ifb, BridgeTree.DefaultClass, leaf));
        objects.Add(Class(ifb, SmallPacketClass, SmallPacketRate(capacity), capacity, null, 0));

        var sorted = new FloorClass[classes.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = classes[i];
        }

        // Stable, as OrderBy: classes with one ID (not made by the planner) keep their order.
        if (!IsSorted(sorted))
        {
            sorted = [.. classes.OrderBy(c => c.ClassId)];
        }

        var tables = new List<uint>();
        foreach (var c in sorted)
        {
            var (cls, classLeaf) = ClassOf(ifb, c, capacity, leaf);
            objects.Add(cls);
            objects.Add(classLeaf);
            var table = BridgeTree.TableOf(c.ClassId);
            if (tables.Count == 0 || tables[^1] != table)
            {
                tables.Add(table);
            }
        }

        foreach (var t in tables)
        {
            var (hashTable, link) = TableOf(ifb, direction, t);
            objects.Add(hashTable);
            objects.Add(link);
        }

        foreach (var c in sorted)
        {
            objects.Add(MacFilter(ifb, direction, c.ClassId, c.Mac));
        }

        objects.AddRange(SmallPacketFilters(ifb));
        return objects;
    }

    /// <summary>The default class 1:2: what the floors (<paramref name="classRates"/>, Σ of every class's rate) and the small-packet class leave of the capacity, at least the minimum.</summary>
    public static HtbClass DefaultClass(string ifb, BitRate capacity, BitRate classRates) =>
        Class(ifb, BridgeTree.DefaultClass, BitRate.Max(capacity - classRates - SmallPacketRate(capacity), BridgeTree.DefaultClassMinimum(capacity)), capacity, null, OtherPriority);

    /// <summary>An interface's class (its floor as rate, its ceiling within the capacity) and the class's leaf qdisc (TBF at the peak, when it has one).</summary>
    public static (HtbClass Class, Qdisc Leaf) ClassOf(string ifb, FloorClass c, BitRate capacity, QdiscOptions leaf)
    {
        ArgumentNullException.ThrowIfNull(c);
        var ceil = BitRate.Min(BitRate.Max(c.Ceil, c.Floor), capacity);
        return (Class(ifb, c.ClassId, c.Floor, ceil, c.CeilBurst, OtherPriority), Leaf(ifb, c.ClassId, c.Peak is { } peak ? PeakLeaf(peak) : leaf));
    }

    /// <summary>The u32 hash table <paramref name="table"/> (256 buckets) and its link from 800::, hashing the last byte of the destination (inbound) or source (outbound) MAC.</summary>
    public static (U32Filter Table, U32Filter Link) TableOf(string ifb, Direction direction, uint table)
    {
        var (hashMask, hashOffset) = direction == Direction.Inbound ? (0x0000_00FFu, BridgeTree.MacLowOffset) : (0x00FF_0000u, SourceMacLowOffset);
        var root = BridgeTree.RootHandle;
        return (
            new U32Filter(ifb, root, BridgeTree.FilterPriority, U32Filter.ProtocolAll, U32Handle.Make(table, 0, 0), [], Divisor: 256),
            new U32Filter(
                ifb, root, BridgeTree.FilterPriority, U32Filter.ProtocolAll, U32Handle.Make(BridgeTree.RootTable, 0, table), [new U32Key(0, 0, 0)],
                Link: new U32Link(table, hashMask, hashOffset)));
    }

    private static bool IsSorted(FloorClass[] classes)
    {
        for (var i = 1; i < classes.Length; i++)
        {
            if (classes[i - 1].ClassId > classes[i].ClassId)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Offsets (from the network header) of the source MAC: bytes 0–3 at -8, bytes 4–5 in the high half of the word at -4.</summary>
    public const int SourceMacHighOffset = -8;
    public const int SourceMacLowOffset = -4;

    public static U32Filter MacFilter(string ifb, Direction direction, ushort classId, MacAddress mac)
    {
        if (direction == Direction.Inbound)
        {
            return BridgeTree.MacFilter(ifb, classId, mac);
        }

        return new U32Filter(
            ifb,
            BridgeTree.RootHandle,
            BridgeTree.FilterPriority,
            U32Filter.ProtocolAll,
            BridgeTree.FilterHandle(classId, mac),
            [
                new U32Key(((uint)mac[0] << 24) | ((uint)mac[1] << 16) | ((uint)mac[2] << 8) | mac[3], 0xFFFF_FFFF, SourceMacHighOffset),
                new U32Key(((uint)mac[4] << 24) | ((uint)mac[5] << 16), 0xFFFF_0000, SourceMacLowOffset),
            ],
            FlowId: BridgeTree.ClassHandle(classId));
    }

    /// <summary>The MAC a filter node of a tree in <paramref name="direction"/> matches, when it is one of our MAC filters.</summary>
    public static MacAddress? MacOf(U32Filter f, Direction direction)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (direction == Direction.Inbound)
        {
            return BridgeTree.MacOf(f);
        }

        if (f.Keys.Count != 2 || f.FlowId is null)
        {
            return null;
        }

        var high = f.Keys.FirstOrDefault(k => k.Offset == SourceMacHighOffset && k.Mask == 0xFFFF_FFFF);
        var low = f.Keys.FirstOrDefault(k => k.Offset == SourceMacLowOffset && k.Mask == 0xFFFF_0000);
        if (high.Mask == 0 || low.Mask == 0)
        {
            return null;
        }

        return new MacAddress(((ulong)high.Value << 16) | (low.Value >> 16));
    }

    /// <summary>
    /// IPv4 (ethertype 0x0800, protocol 6, total length &lt; 128) and IPv6 (ethertype 0x86dd, next header 6,
    /// payload length &lt; 128) TCP segments → the small-packet class. Offsets are from the network header;
    /// the ethertype is the low half of the word at -4.
    /// </summary>
    public static IEnumerable<U32Filter> SmallPacketFilters(string ifb)
    {
        yield return new U32Filter(
            ifb, BridgeTree.RootHandle, BridgeTree.FilterPriority, U32Filter.ProtocolAll, U32Handle.Make(BridgeTree.RootTable, 0, SmallPacketNodeV4),
            [new U32Key(0x0000_0800, 0x0000_FFFF, -4), new U32Key(0, 0x0000_FF80, 0), new U32Key(0x0006_0000, 0x00FF_0000, 8)],
            FlowId: BridgeTree.ClassHandle(SmallPacketClass));
        yield return new U32Filter(
            ifb, BridgeTree.RootHandle, BridgeTree.FilterPriority, U32Filter.ProtocolAll, U32Handle.Make(BridgeTree.RootTable, 0, SmallPacketNodeV6),
            [new U32Key(0x0000_86DD, 0x0000_FFFF, -4), new U32Key(0x0000_0600, 0xFF80_FF00, 4)],
            FlowId: BridgeTree.ClassHandle(SmallPacketClass));
    }

    /// <summary>The leaf of a class with a peak: TBF at the peak rate, bucket one jumbo frame, queue ~50 ms of the peak.</summary>
    public static TbfQdiscOptions PeakLeaf(BitRate peak) =>
        new(peak, DeviceLimits.PeakBucket, new ByteSize(Math.Max(DeviceLimits.PeakBucket.Bytes + (peak.BytesPerSecond / 20), 64 * 1024UL)));

    private static HtbClass Class(string ifb, ushort minor, BitRate rate, BitRate ceil, ByteSize? cburst, uint priority) =>
        new(ifb, BridgeTree.ClassHandle(minor), BridgeTree.ClassHandle(BridgeTree.RootClass), rate, ceil, BridgeTree.Burst(rate), cburst ?? BridgeTree.Burst(ceil), BridgeTree.Quantum(rate), priority);

    private static Qdisc Leaf(string ifb, ushort minor, QdiscOptions leaf) =>
        new(ifb, TcHandle.Of(minor, 0), BridgeTree.ClassHandle(minor), leaf);
}
