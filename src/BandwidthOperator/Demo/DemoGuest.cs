using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Demo;

/// <summary>
/// One guest of the demo: its InterfaceBandwidth's name, its inbound floor (null: none), the topology guest
/// (1-based) it is, how many greedy TCP streams it receives and sends (half over IPv6), and its outbound floor.
/// </summary>
internal sealed record DemoGuest(string Name, BitRate? Floor, int Index, int Streams, BitRate? OutboundFloor = null)
{
    /// <summary>A floor holds when the goodput is at least this share of it (TCP payload vs. frames on the wire: ~95.5% is the most a full floor can give).</summary>
    public const double HeldShare = 0.93;

    public BitRate? FloorFor(DemoDirection direction) => direction == DemoDirection.Inbound ? Floor : OutboundFloor;

    /// <summary>Whether the inbound floor holds at this goodput.</summary>
    public bool Held(BitRate goodput) => Held(DemoDirection.Inbound, goodput);

    public bool Held(DemoDirection direction, BitRate goodput) => FloorFor(direction) is not { } f || goodput.BitsPerSecond >= HeldShare * f.BitsPerSecond;
}
