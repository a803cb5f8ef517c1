using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>
/// LIST/WATCH of this agent's own Node only (<c>fieldSelector=metadata.name=NODE</c>; a field selector
/// on a watch as in recorded exchanges 30–31, here on the one field every kind supports): its labels
/// (BridgeNetwork nodeSelectors) and the floor resources its status carries, without a GET per reconcile.
/// </summary>
public sealed class NodeSource(IKubernetes client, string nodeName) : IResourceSource<V1Node>
{
    private readonly string _fieldSelector = "metadata.name=" + nodeName;

    /// <summary>Server-side timeout of one watch; the watcher then watches again from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    public string Kind => "Node";

    public async Task<ResourceList<V1Node>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNodeAsync(fieldSelector: _fieldSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ResourceList<V1Node>([.. list.Items], list.Metadata?.ResourceVersion);
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1Node Object)> WatchAsync(
        string resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, node) in client.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true, fieldSelector: _fieldSelector, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds,
            onError: onError, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return (type, node);
        }
    }
}
