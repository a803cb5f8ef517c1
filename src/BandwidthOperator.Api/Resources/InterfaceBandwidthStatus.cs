using System.Text.Json.Serialization;
using k8s.Models;

namespace BandwidthOperator.Api.Resources;

public sealed class InterfaceBandwidthStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>Inbound HTB minor: class <c>1:classId</c> in the bridge's inbound tree on this node; kept for the class's life.</summary>
    [JsonPropertyName("classId")]
    public int? ClassId { get; set; }

    /// <summary>Outbound HTB minor: class <c>1:outboundClassId</c> in the bridge's outbound tree on this node.</summary>
    [JsonPropertyName("outboundClassId")]
    public int? OutboundClassId { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}
