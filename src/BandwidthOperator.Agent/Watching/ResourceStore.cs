using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>The local cache of one kind: the current objects, keyed by <c>namespace/name</c> (or <c>name</c>).</summary>
public sealed class ResourceStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private volatile string? _resourceVersion;

    public int Count => _items.Count;

    /// <summary>
    /// The resourceVersion the cache is current to: that of the last list, watch event or bookmark the
    /// watcher stored (null before the first list). Objects written back by the agent do not move it.
    /// </summary>
    public string? ResourceVersion
    {
        get => _resourceVersion;
        set => _resourceVersion = value;
    }

    public T? Get(string key) => _items.TryGetValue(key, out var item) ? item : null;

    /// <summary>Every object, ordered by key (a stable order for the planner's tie-breaks).</summary>
    public IReadOnlyList<T> List() => [.. _items.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)];

    /// <summary>Stores <paramref name="item"/> and returns what it replaced.</summary>
    public T? Upsert(T item)
    {
        Slim(item);
        var key = ObjectKey.Of(item);
        T? old = null;
        _items.AddOrUpdate(key, item, (_, previous) =>
        {
            old = previous;
            return item;
        });
        return old;
    }

    /// <summary>Stores <paramref name="item"/> unless the cache already has a newer version (by resourceVersion).</summary>
    public void UpsertIfNewer(T item)
    {
        Slim(item);
        var key = ObjectKey.Of(item);
        _items.AddOrUpdate(key, item, (_, previous) => IsNewer(item, previous) ? item : previous);
    }

    public T? Remove(string key) => _items.TryRemove(key, out var old) ? old : null;

    /// <summary>Replaces the whole content (after a list); returns each change as (old, new).</summary>
    public IReadOnlyList<ResourceChange<T>> Replace(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var changes = new List<ResourceChange<T>>();
        var fresh = items.Select(Slim).ToDictionary(i => ObjectKey.Of(i), StringComparer.Ordinal);
        foreach (var (key, old) in _items)
        {
            if (!fresh.ContainsKey(key) && _items.TryRemove(key, out _))
            {
                changes.Add(new ResourceChange<T>(old, null));
            }
        }

        foreach (var (key, item) in fresh)
        {
            _items.TryGetValue(key, out var old);
            _items[key] = item;
            if (old is null || old.Metadata?.ResourceVersion != item.Metadata?.ResourceVersion)
            {
                changes.Add(new ResourceChange<T>(old, item));
            }
        }

        return changes;
    }

    /// <summary>
    /// What the agent never reads is not kept: <c>metadata.managedFields</c> (a few KB per object once
    /// several managers have written it) and kubectl's last-applied-configuration annotation (a copy
    /// of the object). The planner reads spec, status, labels, name, namespace, uid, generation and
    /// resourceVersion. Measured in the README's Benchmarks (agent memory).
    /// </summary>
    private static T Slim(T item)
    {
        if (item.Metadata is { } metadata)
        {
            metadata.ManagedFields = null;
            metadata.Annotations?.Remove(LastApplied);
            if (metadata.Annotations is { Count: 0 })
            {
                metadata.Annotations = null;
            }
        }

        return item;
    }

    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    private static bool IsNewer(T candidate, T current) =>
        long.TryParse(candidate.Metadata?.ResourceVersion, out var a) && long.TryParse(current.Metadata?.ResourceVersion, out var b)
            ? a >= b
            : true;
}
