using BandwidthOperator.Agent.Kube;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>LIST/WATCH of the pods of one node across all namespaces (<c>fieldSelector=spec.nodeName=NODE</c>, recorded exchanges 85–87).</summary>
public sealed class PodSource(KubeApi api, string nodeName) : IResourceSource<V1Pod>
{
    private readonly string _fieldSelector = "spec.nodeName=" + nodeName;

    /// <summary>Server-side timeout of one watch; the watcher then watches again from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    public string Kind => "Pod";

    public Task<ResourceList<V1Pod>> ListAsync(CancellationToken cancellationToken) =>
        api.ListAsync<V1Pod>("api/v1/pods", _fieldSelector, null, null, cancellationToken);

    public IAsyncEnumerable<(WatchEventType Type, V1Pod Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        api.WatchAsync<V1Pod>("api/v1/pods", _fieldSelector, null, resourceVersion, WatchTimeoutSeconds, onError, cancellationToken);
}
