using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Watching;

/// <summary>The cache key of an object: <c>namespace/name</c>, or <c>name</c> when cluster-scoped.</summary>
public static class ObjectKey
{
    public static string Of(IKubernetesObject<V1ObjectMeta> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Of(item.Metadata?.NamespaceProperty, item.Metadata?.Name ?? string.Empty);
    }

    public static string Of(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;
}
