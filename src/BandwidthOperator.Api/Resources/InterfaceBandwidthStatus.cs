using System.Text.Json.Serialization;
using k8s.Models;

namespace BandwidthOperator.Api.Resources;

public sealed class InterfaceBandwidthStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>Node of the target's workload, as resolved (target-bound resources only).</summary>
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    /// <summary>MAC of the target's interface, as resolved (target-bound resources only).</summary>
    [JsonPropertyName("macAddress")]
    public string? MacAddress { get; set; }

    /// <summary>Host port of the target's interface on <see cref="NodeName"/> (target-bound resources only).</summary>
    [JsonPropertyName("device")]
    public string? Device { get; set; }

    /// <summary>Inbound HTB minor: class <c>1:classId</c> in the bridge's inbound tree on this node; kept for the class's life.</summary>
    [JsonPropertyName("classId")]
    public int? ClassId { get; set; }

    /// <summary>Outbound HTB minor: class <c>1:outboundClassId</c> in the bridge's outbound tree on this node.</summary>
    [JsonPropertyName("outboundClassId")]
    public int? OutboundClassId { get; set; }

    /// <summary>Target-bound resources: what each node holds (one entry per node, each written by that node's agent).</summary>
    [JsonPropertyName("nodes")]
    public IList<InterfaceBandwidthNodeStatus>? Nodes { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}
