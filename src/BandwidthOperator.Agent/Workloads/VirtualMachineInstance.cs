using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// The fields of a KubeVirt <c>VirtualMachineInstance</c> (kubevirt.io/v1) the agent reads; the rest of
/// the object is ignored when decoding. Labels <see cref="NodeNameLabel"/> and
/// <see cref="MigrationTargetNodeNameLabel"/> are what each agent's watches select on.
/// </summary>
public sealed class VirtualMachineInstance : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "kubevirt.io";
    public const string Version = "v1";
    public const string Plural = "virtualmachineinstances";
    public const string KubeKind = "VirtualMachineInstance";

    /// <summary>Set by KubeVirt to the node the VMI runs on; moves to the target at the end of a migration.</summary>
    public const string NodeNameLabel = "kubevirt.io/nodeName";

    /// <summary>Set by KubeVirt on a VMI being migrated, naming the target node.</summary>
    public const string MigrationTargetNodeNameLabel = "kubevirt.io/migrationTargetNodeName";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("status")]
    public VirtualMachineInstanceStatus? Status { get; set; }
}
