using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>LIST/WATCH of the pods of one node across all namespaces (<c>fieldSelector=spec.nodeName=NODE</c>, recorded exchanges 85–87).</summary>
public sealed class PodSource(IKubernetes client, string nodeName) : IResourceSource<V1Pod>
{
    private readonly string _fieldSelector = "spec.nodeName=" + nodeName;

    /// <summary>Server-side timeout of one watch; the watcher then watches again from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    public string Kind => "Pod";

    public async Task<ResourceList<V1Pod>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: _fieldSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ResourceList<V1Pod>([.. list.Items], list.Metadata?.ResourceVersion);
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1Pod Object)> WatchAsync(
        string resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, pod) in client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true, fieldSelector: _fieldSelector, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds,
            onError: onError, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return (type, pod);
        }
    }
}
