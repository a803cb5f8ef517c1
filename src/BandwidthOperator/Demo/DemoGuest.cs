using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Demo;

/// <summary>
/// One guest of the demo: its InterfaceBandwidth's name, its floor (null: none), the topology guest
/// (1-based) it is, and how many greedy TCP streams are sent toward it (half over IPv6).
/// </summary>
internal sealed record DemoGuest(string Name, BitRate? Floor, int Index, int Streams)
{
    /// <summary>A floor holds when the goodput is at least this share of it (TCP payload vs. frames on the wire: ~95.5% is the most a full floor can give).</summary>
    public const double HeldShare = 0.93;

    public bool Held(BitRate goodput) => Floor is not { } f || goodput.BitsPerSecond >= HeldShare * f.BitsPerSecond;
}
