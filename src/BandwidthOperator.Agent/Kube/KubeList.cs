using k8s.Models;

namespace BandwidthOperator.Agent.Kube;

/// <summary>One page of a LIST answer: the list's metadata (resourceVersion, continue) and its items.</summary>
internal sealed class KubeList<T>
{
    public V1ListMeta? Metadata { get; set; }

    public List<T>? Items { get; set; }
}
