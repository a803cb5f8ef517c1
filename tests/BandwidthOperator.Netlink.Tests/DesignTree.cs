using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Tests;

/// <summary>The previous layout's class tree (docs/architecture.md) on one bridge, as the planner will build it.</summary>
internal static class DesignTree
{
    public static readonly TcHandle Qdisc1 = TcHandle.Of(1, 0);
    public static readonly MacAddress Mac = MacAddress.Parse("52:54:00:6b:3c:01");
    public static readonly ByteSize Burst = new(64 * 1024);
    public const ushort Prio = 1;

    /// <summary>Table id of a floor class's node: (classId / 4095) + 1.</summary>
    public static uint TableOf(uint classId) => (classId / 4095) + 1;

    /// <summary>The u32 node handle of a floor class: table, bucket = last MAC byte, node = classId % 4095 + 1.</summary>
    public static uint NodeHandle(uint classId, MacAddress mac) => U32Handle.Make(TableOf(classId), mac[5], (classId % 4095) + 1);

    public static List<TcObject> Base(string bridge = "br0") =>
    [
        new Qdisc(bridge, Qdisc1, TcHandle.Root, new HtbQdiscOptions(2)),
        new HtbClass(bridge, TcHandle.Of(1, 1), Qdisc1, BitRate.Parse("100M"), BitRate.Parse("100M"), Burst, Burst, 8000),
        new HtbClass(bridge, TcHandle.Of(1, 2), TcHandle.Of(1, 1), BitRate.Parse("60M"), BitRate.Parse("100M"), Burst, Burst, 8000),
        new Qdisc(bridge, TcHandle.Of(2, 0), TcHandle.Of(1, 2), FifoQdiscOptions.Pfifo(100)),
        Table(bridge, 1),
        Link(bridge, 1),
    ];

    public static U32Filter Table(string bridge, uint htid) =>
        new(bridge, Qdisc1, Prio, U32Filter.ProtocolAll, U32Handle.Make(htid, 0, 0), [], Divisor: 256);

    /// <summary>A node in 800:: that hashes the last byte of the destination MAC into table <paramref name="htid"/>.</summary>
    public static U32Filter Link(string bridge, uint htid) =>
        new(bridge, Qdisc1, Prio, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, htid), [new U32Key(0, 0, 0)], Link: new U32Link(htid, 0xFF, -12));

    /// <summary>Class 1:id (rate = floor), its pfifo leaf id:, and the MAC match node sending the MAC's traffic to it.</summary>
    public static List<TcObject> Floor(uint classId, MacAddress mac, BitRate floor, string bridge = "br0")
    {
        var minor = (ushort)classId;
        return
        [
            new HtbClass(bridge, TcHandle.Of(1, minor), TcHandle.Of(1, 1), floor, BitRate.Parse("100M"), Burst, Burst, 8000),
            new Qdisc(bridge, TcHandle.Of(minor, 0), TcHandle.Of(1, minor), FifoQdiscOptions.Pfifo(100)),
            MacNode(bridge, classId, mac),
        ];
    }

    public static U32Filter MacNode(string bridge, uint classId, MacAddress mac) =>
        new(
            bridge,
            Qdisc1,
            Prio,
            U32Filter.ProtocolAll,
            NodeHandle(classId, mac),
            [
                new U32Key(((uint)mac[0] << 8) | mac[1], 0x0000FFFF, -16),
                new U32Key(((uint)mac[2] << 24) | ((uint)mac[3] << 16) | ((uint)mac[4] << 8) | mac[5], 0xFFFFFFFF, -12),
            ],
            FlowId: TcHandle.Of(1, (ushort)classId));

    public static List<TcOperation> Adds(IEnumerable<TcObject> objects) => objects.Select(o => new TcOperation(TcVerb.Add, o)).ToList();
}
