using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

/// <summary>What one node holds for a target-bound interface (an entry of <c>status.nodes</c>, written only by that node's agent).</summary>
public sealed class InterfaceBandwidthNodeStatus
{
    public const string Running = "Running";
    public const string MigrationSource = "MigrationSource";
    public const string MigrationTarget = "MigrationTarget";

    [JsonPropertyName("nodeName")]
    public string NodeName { get; set; } = string.Empty;

    /// <summary><see cref="Running"/>, <see cref="MigrationSource"/> or <see cref="MigrationTarget"/>.</summary>
    [JsonPropertyName("role")]
    public string Role { get; set; } = Running;

    /// <summary>Inbound HTB minor this node holds for the interface.</summary>
    [JsonPropertyName("classId")]
    public int? ClassId { get; set; }

    /// <summary>Outbound HTB minor this node holds for the interface.</summary>
    [JsonPropertyName("outboundClassId")]
    public int? OutboundClassId { get; set; }

    [JsonPropertyName("admitted")]
    public bool? Admitted { get; set; }

    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
