using k8s.Models;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>Reads labels of the node and of namespaces, and the Node itself (null: the object does not exist).</summary>
public interface IClusterLookup
{
    /// <summary>The Node (labels for nodeSelector, status for the floor resources it carries).</summary>
    Task<V1Node?> NodeAsync(string nodeName, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>?> NodeLabelsAsync(string nodeName, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>?> NamespaceLabelsAsync(string name, CancellationToken cancellationToken);
}
