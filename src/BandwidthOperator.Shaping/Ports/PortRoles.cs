using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Shaping.Ports;

/// <summary>
/// The stated rule: a port listed in <c>spec.ports.uplinks</c> or <c>spec.ports.guests</c> has that role;
/// otherwise veth and tap (link kind <c>tun</c>) ports are guests, and every other port (physical, VLAN,
/// bond, macvlan, …) is an uplink.
/// </summary>
public static class PortRoles
{
    public static PortRole RoleOf(DeviceFacts port, NetworkSettings network)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(network);
        if (network.Uplinks?.Contains(port.Name) == true)
        {
            return PortRole.Uplink;
        }

        if (network.Guests?.Contains(port.Name) == true)
        {
            return PortRole.Guest;
        }

        return port.Kind is "veth" or "tun" ? PortRole.Guest : PortRole.Uplink;
    }

    public static string Name(PortRole role) => role == PortRole.Guest ? "guest" : "uplink";
}
