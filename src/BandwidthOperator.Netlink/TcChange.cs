using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// A traffic-control change the kernel announced (what <c>tc monitor</c> prints): which device, what
/// kind of object, added/changed or deleted. <see cref="Overrun"/> means notifications were lost
/// and every device should be looked at again.
/// </summary>
public sealed record TcChange(int IfIndex, string? Device, TcObjectType Type, bool Deleted, bool Overrun = false);
