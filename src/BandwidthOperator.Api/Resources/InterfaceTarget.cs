using System.Text.Json.Serialization;

namespace BandwidthOperator.Api.Resources;

/// <summary>
/// <c>spec.target</c>: a workload of the resource's namespace and one of its interfaces. The agent on the
/// workload's node resolves node, MAC and host port from it (README, "Workloads by reference").
/// </summary>
public sealed class InterfaceTarget
{
    public const string VirtualMachineInstanceKind = "VirtualMachineInstance";
    public const string PodKind = "Pod";

    /// <summary><see cref="VirtualMachineInstanceKind"/> or <see cref="PodKind"/>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>Name of the workload in the resource's namespace.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>VMI: KubeVirt interface/network name; Pod: Multus network name or in-pod interface name.</summary>
    [JsonPropertyName("interface")]
    public string Interface { get; set; } = string.Empty;
}
