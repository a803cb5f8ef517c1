using BandwidthOperator.Agent.Kube;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>
/// LIST/WATCH of this agent's own Node only (<c>fieldSelector=metadata.name=NODE</c>; a field selector
/// on a watch as in recorded exchanges 30–31, here on the one field every kind supports): its labels
/// (BridgeNetwork nodeSelectors) and the floor resources its status carries, without a GET per reconcile.
/// </summary>
public sealed class NodeSource(KubeApi api, string nodeName) : IResourceSource<V1Node>
{
    private readonly string _fieldSelector = "metadata.name=" + nodeName;

    /// <summary>Server-side timeout of one watch; the watcher then watches again from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    public string Kind => "Node";

    public Task<ResourceList<V1Node>> ListAsync(CancellationToken cancellationToken) =>
        api.ListAsync<V1Node>("api/v1/nodes", _fieldSelector, null, null, cancellationToken);

    public IAsyncEnumerable<(WatchEventType Type, V1Node Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        api.WatchAsync<V1Node>("api/v1/nodes", _fieldSelector, null, resourceVersion, WatchTimeoutSeconds, onError, cancellationToken);
}
