using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// A traffic-control change the kernel announced (what <c>tc monitor</c> prints): which device, what
/// kind of object, added/changed or deleted. <see cref="Overrun"/> means notifications were lost
/// and every device should be looked at again. <see cref="SenderPortId"/> is the netlink port of the
/// socket whose request made the change (compare with <see cref="TcKernel.PortId"/> to recognise
/// the agent's own changes); 0 when the kernel made it by itself. <see cref="Link"/> marks a link change
/// (<c>RTM_NEWLINK</c>/<c>RTM_DELLINK</c>: a device added, enslaved to a bridge, set up, or removed).
/// <see cref="Fdb"/> marks a change of a bridge's forwarding database (a MAC learned, moved or forgot):
/// <see cref="IfIndex"/> and <see cref="Device"/> are then the bridge's.
/// </summary>
public sealed record TcChange(int IfIndex, string? Device, TcObjectType Type, bool Deleted, bool Overrun = false, uint SenderPortId = 0)
{
    public bool Link { get; init; }

    public bool Fdb { get; init; }
}
