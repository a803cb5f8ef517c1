using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Api.Resources;

/// <summary>
/// The envelope both custom resources share: <c>apiVersion</c> (this group's), <c>kind</c>,
/// <c>metadata</c>, <c>spec</c> and an optional <c>status</c>.
/// </summary>
public abstract class CustomResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : new()
    where TStatus : class
{
    protected CustomResource(string kind) => Kind = kind;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public TStatus? Status { get; set; }
}
