using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

public sealed class InterfaceInbound
{
    /// <summary>Guaranteed minimum, carved from the network's inbound average.</summary>
    [JsonPropertyName("floor")]
    [JsonConverter(typeof(QuantityStringConverter))]
    public string? Floor { get; set; }

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
