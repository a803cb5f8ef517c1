using System.Net.Sockets;
using BandwidthOperator.Lab.Topology;

namespace BandwidthOperator.Lab.Traffic;

/// <summary>
/// Greedy TCP streams toward one guest: <see cref="Streams"/> connections to the guest's address of
/// <see cref="Family"/> on <see cref="Port"/>, all counted together at the guest.
/// </summary>
public sealed record FlowGroup(BridgeGuest Guest, int Streams, AddressFamily Family, int Port)
{
    public static FlowGroup IPv4(BridgeGuest guest, int streams, int port = 5201) => new(guest, streams, AddressFamily.InterNetwork, port);

    public static FlowGroup IPv6(BridgeGuest guest, int streams, int port = 5201) => new(guest, streams, AddressFamily.InterNetworkV6, port);

    /// <summary>When set, the streams together send at most this rate (an application that is not greedy), else greedy.</summary>
    public Api.Quantities.BitRate? PacedTo { get; init; }

    public override string ToString() =>
        $"guest{Guest.Index} ×{Streams} {(Family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} :{Port}";
}
