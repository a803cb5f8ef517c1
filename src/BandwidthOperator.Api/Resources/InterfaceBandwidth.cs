using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Api.Resources;

/// <summary>Bandwidth for one VM or pod interface on a <see cref="BridgeNetwork"/> (namespaced, short name <c>ibw</c>).</summary>
public sealed class InterfaceBandwidth : IKubernetesObject<V1ObjectMeta>, ISpec<InterfaceBandwidthSpec>, IStatus<InterfaceBandwidthStatus?>
{
    public const string KubeKind = "InterfaceBandwidth";
    public const string Plural = "interfacebandwidths";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public InterfaceBandwidthSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public InterfaceBandwidthStatus? Status { get; set; }
}
