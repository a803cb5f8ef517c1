using System.Globalization;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Testing.Topology;

/// <summary>
/// The previous layout's class tree (docs/architecture.md) built by hand with <c>tc -batch</c> (a stand-in until the product's
/// engine builds it): <c>htb 1: default 2</c>, root class 1:1 (rate = ceil = total), class 1:2 for
/// unfloored traffic, one class 1:(3+k) per floor with rate = floor and ceil = total, pfifo leaves,
/// and per floor a u32 filter on the destination MAC (u16 at -14, u32 at -12, protocol all).
/// </summary>
public static class HandBuiltFloorTree
{
    /// <summary>pfifo leaf length in packets (the bridge's txqueuelen is 0, which would make pfifo's default limit 1).</summary>
    public const int LeafLimitPackets = 1000;

    public static IReadOnlyList<string> Commands(string device, BitRate total, BitRate unfloored, IReadOnlyList<(MacAddress Mac, BitRate Floor)> floors, string burst = "64k")
    {
        ArgumentNullException.ThrowIfNull(floors);
        var ceil = total.ToTcString();
        // quantum: one full frame; with rates this small HTB's default (rate/r2q) is too big and the kernel warns.
        const string quantum = "1514";
        var commands = new List<string>
        {
            $"qdisc replace dev {device} root handle 1: htb default 2",
            $"class add dev {device} parent 1: classid 1:1 htb rate {ceil} ceil {ceil} burst {burst} cburst {burst} quantum {quantum}",
            $"class add dev {device} parent 1:1 classid 1:2 htb rate {unfloored.ToTcString()} ceil {ceil} burst {burst} cburst {burst} quantum {quantum}",
            $"qdisc add dev {device} parent 1:2 handle 2: pfifo limit {LeafLimitPackets}",
        };
        for (var k = 0; k < floors.Count; k++)
        {
            var id = (3 + k).ToString("x", CultureInfo.InvariantCulture);
            var (mac, floor) = floors[k];
            var hi = ((uint)(mac.Value >> 32)).ToString("x4", CultureInfo.InvariantCulture);
            var lo = ((uint)mac.Value).ToString("x8", CultureInfo.InvariantCulture);
            commands.Add($"class add dev {device} parent 1:1 classid 1:{id} htb rate {floor.ToTcString()} ceil {ceil} burst {burst} cburst {burst} quantum {quantum}");
            commands.Add($"qdisc add dev {device} parent 1:{id} handle {id}: pfifo limit {LeafLimitPackets}");
            commands.Add($"filter add dev {device} parent 1: protocol all prio 1 handle 800::{id} u32 match u16 0x{hi} 0xffff at -14 match u32 0x{lo} 0xffffffff at -12 flowid 1:{id}");
        }

        return commands;
    }

    /// <summary>Builds the tree on <paramref name="device"/> inside <paramref name="ns"/>.</summary>
    public static void Apply(NetworkNamespace ns, string device, BitRate total, BitRate unfloored, IReadOnlyList<(MacAddress Mac, BitRate Floor)> floors, string burst = "64k")
    {
        ArgumentNullException.ThrowIfNull(ns);
        ns.TcBatch(Commands(device, total, unfloored, floors, burst));
    }
}
