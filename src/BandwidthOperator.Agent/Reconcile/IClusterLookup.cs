namespace BandwidthOperator.Agent.Reconcile;

/// <summary>Reads labels of the node and of namespaces (null: the object does not exist).</summary>
public interface IClusterLookup
{
    Task<IReadOnlyDictionary<string, string>?> NodeLabelsAsync(string nodeName, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>?> NamespaceLabelsAsync(string name, CancellationToken cancellationToken);
}
