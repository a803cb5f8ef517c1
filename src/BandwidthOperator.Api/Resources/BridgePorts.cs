using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

/// <summary>
/// Explicit port roles on a bridge. By default veth and tap (tun) ports are guests and every other port
/// (physical, VLAN, bond, …) is an uplink; a device named here takes the role it is listed under.
/// </summary>
public sealed class BridgePorts
{
    /// <summary>Ports that are uplinks: not hooked, traffic through them is shaped where it enters or leaves a guest.</summary>
    [JsonPropertyName("uplinks")]
    public IList<string>? Uplinks { get; set; }

    /// <summary>Ports that are guests: hooked into the network's inbound and outbound trees.</summary>
    [JsonPropertyName("guests")]
    public IList<string>? Guests { get; set; }
}
