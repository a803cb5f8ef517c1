using System.Text.Json.Serialization;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>The part of a VMI's <c>spec</c> the agent reads: <c>domain.resources</c> (the floor it requests).</summary>
public sealed class VirtualMachineInstanceSpec
{
    [JsonPropertyName("domain")]
    public VirtualMachineInstanceDomain? Domain { get; set; }
}
