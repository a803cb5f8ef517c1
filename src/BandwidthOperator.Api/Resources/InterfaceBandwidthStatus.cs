using System.Text.Json.Serialization;
using k8s.Models;

namespace BandwidthOperator.Api.Resources;

public sealed class InterfaceBandwidthStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>HTB minor: class <c>1:classId</c> on the bridge on this node; kept for the floor's life.</summary>
    [JsonPropertyName("classId")]
    public int? ClassId { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}
