using System.Text.Json.Serialization;
using k8s.Models;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>A VMI's <c>spec.domain</c>, as far as the agent reads it: <c>resources.requests</c>/<c>limits</c> (KubeVirt copies them to the launcher pod).</summary>
public sealed class VirtualMachineInstanceDomain
{
    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; set; }
}
