using System.Text.Json.Serialization;
using k8s.Models;

namespace BandwidthOperator.Api.Resources;

public sealed class BridgeNetworkStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>One entry per node, each written only by that node's agent.</summary>
    [JsonPropertyName("nodes")]
    public IList<BridgeNetworkNodeStatus>? Nodes { get; set; }
}
