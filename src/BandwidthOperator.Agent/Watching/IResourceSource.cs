using k8s;

namespace BandwidthOperator.Agent.Watching;

/// <summary>LIST and WATCH of one kind, as the watcher needs them (one implementation talks to the API server; tests can fake it).</summary>
public interface IResourceSource<T>
{
    /// <summary>Kind name for logs ("BridgeNetwork").</summary>
    string Kind { get; }

    Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Watches from <paramref name="resourceVersion"/> with bookmarks; stream errors (410 Expired) go to <paramref name="onError"/>.</summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);
}
