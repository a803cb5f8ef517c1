using System.Text.Json.Serialization;
using k8s.Models;

namespace BandwidthOperator.Api.Resources;

public sealed class BridgeNetworkSpec
{
    /// <summary>The Linux bridge device on each node (1–15 characters, no '/', ':' or white space).</summary>
    [JsonPropertyName("bridge")]
    public string Bridge { get; set; } = string.Empty;

    /// <summary>Nodes this network exists on; default: every node with an agent.</summary>
    [JsonPropertyName("nodeSelector")]
    public V1LabelSelector? NodeSelector { get; set; }

    /// <summary>Capacity toward the interfaces; floors are carved from <c>inbound.average</c>.</summary>
    [JsonPropertyName("inbound")]
    public NetworkBandwidth? Inbound { get; set; }

    /// <summary>Capacity out of the interfaces; outbound floors are carved from <c>outbound.average</c>.</summary>
    [JsonPropertyName("outbound")]
    public NetworkBandwidth? Outbound { get; set; }

    /// <summary>Which bridge ports are uplinks and which are guests, where the default rule (veth/tap = guest, anything else = uplink) is wrong.</summary>
    [JsonPropertyName("ports")]
    public BridgePorts? Ports { get; set; }

    /// <summary>Namespaces allowed to attach interfaces; default: all.</summary>
    [JsonPropertyName("namespaceSelector")]
    public V1LabelSelector? NamespaceSelector { get; set; }

    /// <summary>
    /// Namespaces whose InterfaceBandwidths may claim a MAC by hand (<c>spec.macAddress</c>); default: none
    /// (only <c>spec.target</c>); <c>{}</c>: all. The agent enforces it; offline plan/apply (root at the node) does not.
    /// </summary>
    [JsonPropertyName("rawMacNamespaceSelector")]
    public V1LabelSelector? RawMacNamespaceSelector { get; set; }
}
