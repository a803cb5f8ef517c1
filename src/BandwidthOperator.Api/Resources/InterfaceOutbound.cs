using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

public sealed class InterfaceOutbound
{
    /// <summary>Guaranteed minimum out of the interface, carved from the network's outbound average.</summary>
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
