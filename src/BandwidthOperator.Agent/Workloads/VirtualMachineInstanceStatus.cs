using System.Text.Json.Serialization;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>VMI <c>status</c>: <c>nodeName</c>, <c>phase</c>, <c>interfaces[]</c> and <c>migrationState</c>.</summary>
public sealed class VirtualMachineInstanceStatus
{
    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    /// <summary>Pending, Scheduling, Scheduled, Running, Succeeded, Failed, Unknown.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("interfaces")]
    public IList<VirtualMachineInstanceInterface>? Interfaces { get; set; }

    [JsonPropertyName("migrationState")]
    public VirtualMachineInstanceMigrationState? MigrationState { get; set; }
}
