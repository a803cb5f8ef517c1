using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>
/// Everything one node's plan is computed from: the node, its labels and its namespaces' labels
/// (null when not known, as for offline manifests: selectors are then not evaluated), and the resources.
/// Interfaces of other nodes are ignored. List order is the tie-break for resources without timestamps.
/// </summary>
public sealed record NodeRequest(
    string NodeName,
    IReadOnlyList<BridgeNetwork> Networks,
    IReadOnlyList<InterfaceBandwidth> Interfaces,
    IReadOnlyDictionary<string, string>? NodeLabels = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? NamespaceLabels = null)
{
    /// <summary>
    /// Whether our trees on bridges that no network names are removed (the agent: the networks are the
    /// whole desired state). Offline <c>apply</c> sets it only with <c>--prune</c>: there the manifests are
    /// the desired state of the bridges they name, and other bridges are left as they are.
    /// </summary>
    public bool PruneUnnamedBridges { get; init; } = true;
}
