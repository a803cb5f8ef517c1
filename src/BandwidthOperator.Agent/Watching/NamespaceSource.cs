using BandwidthOperator.Agent.Kube;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>
/// LIST/WATCH of Namespaces (their labels, for BridgeNetwork namespace selectors). Watched only while
/// some network's selector needs namespace labels (<see cref="Reconcile.NamespaceDemand"/>).
/// </summary>
public sealed class NamespaceSource(KubeApi api) : IResourceSource<V1Namespace>
{
    /// <summary>Server-side timeout of one watch; the watcher then watches again from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    public string Kind => "Namespace";

    public Task<ResourceList<V1Namespace>> ListAsync(CancellationToken cancellationToken) =>
        api.ListAsync<V1Namespace>("api/v1/namespaces", null, null, null, cancellationToken);

    public IAsyncEnumerable<(WatchEventType Type, V1Namespace Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        api.WatchAsync<V1Namespace>("api/v1/namespaces", null, null, resourceVersion, WatchTimeoutSeconds, onError, cancellationToken);
}
