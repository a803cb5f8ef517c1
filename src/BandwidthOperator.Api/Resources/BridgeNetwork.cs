using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Api.Resources;

/// <summary>A bridged network whose inbound capacity floors are carved from (cluster-scoped, short name <c>bn</c>).</summary>
public sealed class BridgeNetwork : IKubernetesObject<V1ObjectMeta>, ISpec<BridgeNetworkSpec>, IStatus<BridgeNetworkStatus?>
{
    public const string KubeKind = "BridgeNetwork";
    public const string Plural = "bridgenetworks";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public BridgeNetworkSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public BridgeNetworkStatus? Status { get; set; }
}
