using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

public sealed class InterfaceOutbound
{
    [JsonPropertyName("average")]
    [JsonConverter(typeof(QuantityStringConverter))]
    public string? Average { get; set; }

    [JsonPropertyName("peak")]
    [JsonConverter(typeof(QuantityStringConverter))]
    public string? Peak { get; set; }

    [JsonPropertyName("burst")]
    [JsonConverter(typeof(QuantityStringConverter))]
    public string? Burst { get; set; }
}
