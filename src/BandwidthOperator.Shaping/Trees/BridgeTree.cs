using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Trees;

/// <summary>
/// The class-tree constants, handle arithmetic and destination-MAC filters shared with <see cref="ShapingTree"/>,
/// and the <b>previous layout</b>'s tree on the bridge device's own egress (<see cref="Build"/>), which the
/// planner recognises (<see cref="IsOurRoot"/>, <see cref="MacOf"/>) to remove it and adopt its class IDs
/// (docs/architecture.md §4). That tree only saw routed traffic:
/// <code>
/// qdisc 1: htb default 2 r2q 2026              (r2q marks the tree as ours; every class sets its quantum)
/// └─ class 1:1  rate = ceil = capacity
///    ├─ class 1:2  rate = max(capacity − Σfloors, minimum), ceil = capacity   + leaf qdisc 2:
///    └─ class 1:N  rate = floor, ceil = interface average or capacity         + leaf qdisc N:
/// filters (prio 1, protocol all, u32): hash table T: divisor 256 per 4,095 IDs, a link from 800::T
/// hashing the last byte of the destination MAC, and node T:mac5:n matching the whole destination MAC.
/// </code>
/// u32 node IDs have 12 bits, so class ID c lives in table (c / 4095) + 1 as node (c % 4095) + 1:
/// every ID up to 0xFFFF has a valid handle (libvirt's 800::(800+id) fails at id 200).
/// </summary>
public static class BridgeTree
{
    public const ushort RootMajor = 1;
    public const ushort RootClass = 1;
    public const ushort DefaultClass = 2;
    public const ushort FilterPriority = 1;
    public const uint RootTable = 0x800;

    /// <summary>The r2q our root qdisc carries, so the agent can tell its trees from anyone else's htb.</summary>
    public const uint OwnerMarkR2q = 2026;

    /// <summary>Offset of the destination MAC's bytes 2–5 from the network header; bytes 0–1 are the low half of the word at -16.</summary>
    public const int MacLowOffset = -12;
    public const int MacHighOffset = -16;

    public static TcHandle RootHandle => TcHandle.Of(RootMajor, 0);

    public static TcHandle ClassHandle(ushort minor) => TcHandle.Of(RootMajor, minor);

    public static uint TableOf(ushort classId) => ((uint)classId / 4095) + 1;

    public static uint NodeOf(ushort classId) => ((uint)classId % 4095) + 1;

    public static uint FilterHandle(ushort classId, MacAddress mac) => U32Handle.Make(TableOf(classId), mac[5], NodeOf(classId));

    /// <summary>True when the root qdisc is one of ours.</summary>
    public static bool IsOurRoot(Qdisc q) => Ownership.KernelOwnership.IsOurTreeRoot(q);

    /// <summary>The minimum rate of the default class, so unfloored traffic is never starved to nothing: 1% of capacity, at least 8 kbit/s.</summary>
    public static BitRate DefaultClassMinimum(BitRate capacity) => BitRate.Min(capacity, BitRate.Max(new BitRate(capacity.BitsPerSecond / 100), new BitRate(8_000)));

    /// <summary>HTB quantum: about one millisecond of the class's rate, within what HTB handles well (an MTU to 200,000 bytes).</summary>
    public static uint Quantum(BitRate rate) => (uint)Math.Clamp(rate.BytesPerSecond / 1000, 1514UL, 200_000UL);

    /// <summary>Burst: two milliseconds of the rate, at least a few full frames.</summary>
    public static ByteSize Burst(BitRate rate) => new(Math.Max(rate.BytesPerSecond / 500, 4 * 1514UL));

    public static IReadOnlyList<TcObject> Build(string bridge, BitRate capacity, ByteSize? burst, IReadOnlyList<FloorClass> floors, QdiscOptions leaf)
    {
        ArgumentNullException.ThrowIfNull(floors);
        var objects = new List<TcObject>(3 + (floors.Count * 3))
        {
            new Qdisc(bridge, RootHandle, TcHandle.Root, new HtbQdiscOptions(DefaultClass, OwnerMarkR2q)),
        };
        var rootBurst = burst ?? Burst(capacity);
        objects.Add(new HtbClass(bridge, ClassHandle(RootClass), RootHandle, capacity, capacity, rootBurst, rootBurst, Quantum(capacity)));

        var floorSum = BitRate.Zero;
        foreach (var f in floors)
        {
            floorSum += f.Floor;
        }

        var defaultRate = BitRate.Max(capacity - floorSum, DefaultClassMinimum(capacity));
        objects.Add(Class(bridge, DefaultClass, defaultRate, capacity));
        objects.Add(Leaf(bridge, DefaultClass, leaf));

        var tables = new SortedSet<uint>();
        foreach (var f in floors.OrderBy(f => f.ClassId))
        {
            objects.Add(Class(bridge, f.ClassId, f.Floor, BitRate.Min(BitRate.Max(f.Ceil, f.Floor), capacity)));
            objects.Add(Leaf(bridge, f.ClassId, leaf));
            tables.Add(TableOf(f.ClassId));
        }

        foreach (var t in tables)
        {
            objects.Add(new U32Filter(bridge, RootHandle, FilterPriority, U32Filter.ProtocolAll, U32Handle.Make(t, 0, 0), [], Divisor: 256));
            objects.Add(new U32Filter(
                bridge, RootHandle, FilterPriority, U32Filter.ProtocolAll, U32Handle.Make(RootTable, 0, t), [new U32Key(0, 0, 0)],
                Link: new U32Link(t, 0x0000_00FF, MacLowOffset)));
        }

        foreach (var f in floors.OrderBy(f => f.ClassId))
        {
            objects.Add(MacFilter(bridge, f.ClassId, f.Mac));
        }

        return objects;
    }

    public static U32Filter MacFilter(string bridge, ushort classId, MacAddress mac) =>
        new(
            bridge,
            RootHandle,
            FilterPriority,
            U32Filter.ProtocolAll,
            FilterHandle(classId, mac),
            [
                new U32Key(((uint)mac[0] << 8) | mac[1], 0x0000_FFFF, MacHighOffset),
                new U32Key(((uint)mac[2] << 24) | ((uint)mac[3] << 16) | ((uint)mac[4] << 8) | mac[5], 0xFFFF_FFFF, MacLowOffset),
            ],
            FlowId: ClassHandle(classId));

    /// <summary>The MAC a filter node matches, when it is one of our MAC filters.</summary>
    public static MacAddress? MacOf(U32Filter f)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.Keys.Count != 2 || f.FlowId is null)
        {
            return null;
        }

        var high = f.Keys.FirstOrDefault(k => k.Offset == MacHighOffset && k.Mask == 0x0000_FFFF);
        var low = f.Keys.FirstOrDefault(k => k.Offset == MacLowOffset && k.Mask == 0xFFFF_FFFF);
        if (high.Mask == 0 || low.Mask == 0)
        {
            return null;
        }

        return new MacAddress(((ulong)(high.Value & 0xFFFF) << 32) | low.Value);
    }

    private static HtbClass Class(string bridge, ushort minor, BitRate rate, BitRate ceil) =>
        new(bridge, ClassHandle(minor), ClassHandle(RootClass), rate, ceil, Burst(rate), Burst(ceil), Quantum(rate));

    private static Qdisc Leaf(string bridge, ushort minor, QdiscOptions leaf) =>
        new(bridge, TcHandle.Of(minor, 0), ClassHandle(minor), leaf);
}
