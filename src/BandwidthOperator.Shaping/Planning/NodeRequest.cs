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

    /// <summary>
    /// The bridges this plan is about (the agent reconciles one bridge per work-queue key); null: the
    /// whole node. When set, only networks naming one of these bridges are planned and reported (every
    /// network is still read, so that the first network by name keeps owning a bridge), only objects on
    /// these bridges, their ports and their IFBs are owned, pruned and diffed, and an interface whose
    /// network names a bridge outside the scope gets no outcome. A bridge in the scope that no network
    /// names any more loses our objects (as with <see cref="PruneUnnamedBridges"/>). Interfaces whose
    /// network does not exist belong to no bridge: the caller passes those it wants reported.
    /// </summary>
    public IReadOnlySet<string>? ScopeBridges { get; init; }

    /// <summary>Whether <paramref name="bridge"/> is in this plan's scope (always, when <see cref="ScopeBridges"/> is null).</summary>
    public bool InScope(string? bridge) => ScopeBridges is null || (bridge is not null && ScopeBridges.Contains(bridge));
}
