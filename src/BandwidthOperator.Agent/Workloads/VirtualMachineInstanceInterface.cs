using System.Text.Json.Serialization;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>One entry of VMI <c>status.interfaces</c>: the KubeVirt interface name, its MAC, the in-guest name.</summary>
public sealed class VirtualMachineInstanceInterface
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("mac")]
    public string? Mac { get; set; }

    [JsonPropertyName("interfaceName")]
    public string? InterfaceName { get; set; }
}
