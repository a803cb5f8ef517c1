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
}
