using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>
/// LIST/WATCH of Namespaces (their labels, for BridgeNetwork namespace selectors). Watched only while
/// some network's selector needs namespace labels (<see cref="Reconcile.NamespaceDemand"/>).
/// </summary>
public sealed class NamespaceSource(IKubernetes client) : IResourceSource<V1Namespace>
{
    /// <summary>Server-side timeout of one watch; the watcher then watches again from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    public string Kind => "Namespace";

    public async Task<ResourceList<V1Namespace>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNamespaceAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ResourceList<V1Namespace>([.. list.Items], list.Metadata?.ResourceVersion);
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1Namespace Object)> WatchAsync(
        string resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, ns) in client.CoreV1.WatchListNamespaceAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds,
            onError: onError, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return (type, ns);
        }
    }
}
