using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>
/// LIST/WATCH of a custom resource across all namespaces (or cluster-scoped), optionally with a field
/// selector (<c>spec.nodeName=NODE</c>) and a label selector (<c>kubevirt.io/nodeName=NODE</c>), through
/// KubernetesClient's custom-objects API.
/// </summary>
public sealed class CustomResourceSource<T>(IKubernetes client, string group, string version, string plural, string kind, string? fieldSelector = null, string? labelSelector = null)
    : IResourceSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Server-side timeout of one watch; the watcher then watches again from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    public string Kind => kind;

    /// <summary>Objects per LIST page: a whole list of thousands is never one JSON document in memory.</summary>
    public int PageSize { get; init; } = 500;

    public async Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? rv = null;
        string? next = null;
        do
        {
            var raw = await client.CustomObjects.ListClusterCustomObjectAsync(
                group, version, plural, continueParameter: next, fieldSelector: fieldSelector, labelSelector: labelSelector, limit: PageSize,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            var element = raw is JsonElement e ? e : JsonSerializer.SerializeToElement(raw);
            if (element.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in array.EnumerateArray())
                {
                    items.Add(Decode(item));
                }
            }

            next = null;
            if (element.TryGetProperty("metadata", out var meta))
            {
                if (meta.TryGetProperty("resourceVersion", out var rvElement))
                {
                    rv = rvElement.GetString();
                }

                if (meta.TryGetProperty("continue", out var c) && c.GetString() is { Length: > 0 } token)
                {
                    next = token;
                }
            }
        }
        while (next is not null);

        return new ResourceList<T>(items, rv);
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, obj) in client.CustomObjects.WatchListClusterCustomObjectAsync(
            group, version, plural, allowWatchBookmarks: true, fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion,
            timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var element = obj is JsonElement e ? e : JsonSerializer.SerializeToElement(obj);
            yield return (type, Decode(element));
        }
    }

    private static T Decode(JsonElement element) =>
        KubernetesJson.Deserialize<T>(element.GetRawText()) ?? throw new JsonException($"null {typeof(T).Name} in a list or watch");
}
