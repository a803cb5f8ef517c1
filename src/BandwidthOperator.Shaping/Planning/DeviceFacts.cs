namespace BandwidthOperator.Shaping.Planning;

/// <summary>
/// A network device on the node: its index, whether it is a bridge, the bridge it is a port of, and its
/// link kind (<c>veth</c>, <c>tun</c>, <c>vlan</c>, <c>bond</c>, …; null for a physical device).
/// </summary>
public sealed record DeviceFacts(string Name, int IfIndex, bool IsBridge, string? Master, string? Kind = null);
