using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>
/// What the planner knows of the node's kernel: devices, each bridge's forwarding database (MAC → port),
/// the best leaf qdisc the kernel offers, and the traffic-control objects it holds now.
/// </summary>
public sealed record NodeFacts(
    IReadOnlyDictionary<string, DeviceFacts> Devices,
    IReadOnlyDictionary<string, IReadOnlyDictionary<MacAddress, string>> Fdb,
    string LeafQdiscKind,
    TcSnapshot Observed)
{
    public string? PortOf(string bridge, MacAddress mac) =>
        Fdb.TryGetValue(bridge, out var table) && table.TryGetValue(mac, out var port) ? port : null;
}
