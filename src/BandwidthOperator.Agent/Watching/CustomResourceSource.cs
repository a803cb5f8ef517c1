using BandwidthOperator.Agent.Kube;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>
/// LIST/WATCH of a custom resource across all namespaces (or cluster-scoped), optionally with a field
/// selector (<c>spec.nodeName=NODE</c>) and a label selector (<c>kubevirt.io/nodeName=NODE</c>), through
/// the agent's <see cref="KubeApi"/> (recorded exchanges 10, 25–26, 30–31, 95–97).
/// </summary>
public sealed class CustomResourceSource<T>(KubeApi api, string group, string version, string plural, string kind, string? fieldSelector = null, string? labelSelector = null)
    : IResourceSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly string _path = $"apis/{group}/{version}/{plural}";

    /// <summary>Server-side timeout of one watch; the watcher then watches again from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    public string Kind => kind;

    /// <summary>Objects per LIST page: a whole list of thousands is never one JSON document in memory.</summary>
    public int PageSize { get; init; } = 500;

    public Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken) =>
        api.ListAsync<T>(_path, fieldSelector, labelSelector, PageSize, cancellationToken);

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        api.WatchAsync<T>(_path, fieldSelector, labelSelector, resourceVersion, WatchTimeoutSeconds, onError, cancellationToken);
}
