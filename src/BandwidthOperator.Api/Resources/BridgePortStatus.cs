using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

/// <summary>One port of a bridge on a node, as the agent sees it.</summary>
public sealed class BridgePortStatus
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary><c>guest</c> or <c>uplink</c>.</summary>
    [JsonPropertyName("role")]
    public string Role { get; set; } = string.Empty;

    /// <summary>Whether the port's traffic passes the network's trees (guests only).</summary>
    [JsonPropertyName("hooked")]
    public bool Hooked { get; set; }
}
