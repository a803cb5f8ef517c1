using System.Text.Json.Serialization;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>VMI <c>status.migrationState</c>: where a live migration goes and whether it ended.</summary>
public sealed class VirtualMachineInstanceMigrationState
{
    [JsonPropertyName("sourceNode")]
    public string? SourceNode { get; set; }

    [JsonPropertyName("targetNode")]
    public string? TargetNode { get; set; }

    /// <summary>The migration finished (successfully unless <see cref="Failed"/>).</summary>
    [JsonPropertyName("completed")]
    public bool? Completed { get; set; }

    [JsonPropertyName("failed")]
    public bool? Failed { get; set; }
}
