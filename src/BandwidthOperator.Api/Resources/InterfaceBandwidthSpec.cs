using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

public sealed class InterfaceBandwidthSpec
{
    /// <summary>The <see cref="BridgeNetwork"/> the interface is attached to.</summary>
    [JsonPropertyName("network")]
    public string Network { get; set; } = string.Empty;

    /// <summary>The node the interface lives on.</summary>
    [JsonPropertyName("nodeName")]
    public string NodeName { get; set; } = string.Empty;

    /// <summary>The interface's MAC address (unicast EUI-48).</summary>
    [JsonPropertyName("macAddress")]
    public string MacAddress { get; set; } = string.Empty;

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
