using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

/// <summary>How a network stands on one node.</summary>
public sealed class BridgeNetworkNodeStatus
{
    [JsonPropertyName("nodeName")]
    public string NodeName { get; set; } = string.Empty;

    [JsonPropertyName("ready")]
    public bool Ready { get; set; }

    /// <summary>Sum of the floors admitted on this node.</summary>
    [JsonPropertyName("floorSum")]
    public string? FloorSum { get; set; }

    /// <summary>Interfaces of this network on this node.</summary>
    [JsonPropertyName("interfaces")]
    public int Interfaces { get; set; }

    /// <summary>The leaf qdisc the node's kernel offered (fq_codel, sfq or pfifo).</summary>
    [JsonPropertyName("leafQdisc")]
    public string? LeafQdisc { get; set; }

    /// <summary>The bridge's ports on this node: role (guest or uplink) and whether they are hooked.</summary>
    [JsonPropertyName("ports")]
    public IList<BridgePortStatus>? Ports { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
