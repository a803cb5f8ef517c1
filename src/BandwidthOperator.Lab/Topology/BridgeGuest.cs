using System.Net;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Lab.Topology;

/// <summary>
/// One guest of a <see cref="BridgeTopology"/>: its own namespace, attached to the bridge by a veth
/// pair whose host side is <see cref="HostPort"/> (a port of the bridge) and whose guest side is
/// <c>eth0</c> with <see cref="Mac"/>, <see cref="IPv4"/> and <see cref="IPv6"/>.
/// </summary>
public sealed record BridgeGuest(
    int Index,
    NetworkNamespace Namespace,
    string HostPort,
    MacAddress Mac,
    IPAddress IPv4,
    IPAddress IPv6)
{
    /// <summary>The guest's device inside its namespace.</summary>
    public const string Device = "eth0";

    /// <summary>The guest's address of the given family (IPv4: InterNetwork, IPv6: InterNetworkV6).</summary>
    public IPAddress Address(System.Net.Sockets.AddressFamily family) =>
        family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPv6 : IPv4;

    public override string ToString() => $"guest{Index} ({Mac}, {IPv4}, {IPv6}, port {HostPort})";
}
