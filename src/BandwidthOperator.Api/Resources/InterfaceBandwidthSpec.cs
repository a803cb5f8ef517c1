using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

public sealed class InterfaceBandwidthSpec
{
    /// <summary>The <see cref="BridgeNetwork"/> the interface is attached to.</summary>
    [JsonPropertyName("network")]
    public string Network { get; set; } = string.Empty;

    /// <summary>The node the interface lives on (by hand; not with <see cref="Target"/>).</summary>
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    /// <summary>The interface's MAC address (unicast EUI-48; by hand, not with <see cref="Target"/>).</summary>
    [JsonPropertyName("macAddress")]
    public string? MacAddress { get; set; }

    /// <summary>The workload whose interface this is (same namespace); its node, MAC and port are resolved by the agent.</summary>
    [JsonPropertyName("target")]
    public InterfaceTarget? Target { get; set; }

    /// <summary>Host-side device (tap/veth); when absent it is found in the bridge's FDB by MAC.</summary>
    [JsonPropertyName("device")]
    public string? Device { get; set; }

    /// <summary>Toward the VM or pod: floor, average, peak (bits/s), burst (bytes).</summary>
    [JsonPropertyName("inbound")]
    public InterfaceInbound? Inbound { get; set; }

    /// <summary>From the VM or pod: average, peak (bits/s), burst (bytes).</summary>
    [JsonPropertyName("outbound")]
    public InterfaceOutbound? Outbound { get; set; }
}
