namespace BandwidthOperator.Shaping.Ports;

/// <summary>
/// A bridge port's role. Guests are hooked into the network's trees; uplinks are not (their traffic is
/// shaped where it enters or leaves a guest port).
/// </summary>
public enum PortRole
{
    Guest,
    Uplink,
}
