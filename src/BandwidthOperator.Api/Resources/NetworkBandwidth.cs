using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

/// <summary>A network's capacity in one direction: <c>average</c> in bits/s, optional <c>burst</c> in bytes.</summary>
public sealed class NetworkBandwidth
{
    [JsonPropertyName("average")]
    [JsonConverter(typeof(QuantityStringConverter))]
    public string? Average { get; set; }

    [JsonPropertyName("burst")]
    [JsonConverter(typeof(QuantityStringConverter))]
    public string? Burst { get; set; }

    /// <summary>
    /// Advertise this direction's floor capacity to the scheduler: each agent whose node carries the
    /// network keeps the extended resource <c>floor.bandwidthoperator.io/NAME</c> (inbound) on its Node.
    /// Needs <c>average</c>.
    /// </summary>
    [JsonPropertyName("schedulable")]
    public bool? Schedulable { get; set; }
}
