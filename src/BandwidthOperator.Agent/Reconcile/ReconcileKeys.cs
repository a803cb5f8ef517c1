using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>
/// Which work-queue keys a change concerns (docs/architecture.md, "The agent loop"). Keys are bridge
/// names: a reconcile of one reads, plans, prunes and reports that bridge only. An interface whose
/// network is not (yet) known is keyed <c>network:NAME</c> so it is still looked at (and told
/// UnknownNetwork); the Node's floor resources are the key <see cref="NodeResources"/>.
/// </summary>
public static class ReconcileKeys
{
    public const string NetworkPrefix = "network:";

    /// <summary>
    /// The floor resources this node advertises on its Node (<see cref="FloorCapacity"/>): computed from the
    /// caches alone, reconciled apart from the bridges. Also reconciled once at start whatever the caches
    /// hold: with no network left (all deleted while the agent was down) no bridge key exists, yet the
    /// Node's floor resources must still be cleaned up.
    /// </summary>
    public const string NodeResources = "node:floor-resources";

    /// <summary>
    /// The bridges of the node that no network names (a network deleted while the agent was down left
    /// its objects there, and no watch event will name that bridge again): reconciled at start and each
    /// resync, it prunes our objects from them. Bridge names cannot hold a <c>:</c>, so no bridge key
    /// collides with the <c>node:</c> keys.
    /// </summary>
    public const string UnnamedBridges = "node:unnamed-bridges";

    /// <summary>The bridge of a key, or null for a <c>network:</c> key and the <c>node:</c> keys.</summary>
    public static string? BridgeOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(NetworkPrefix, StringComparison.Ordinal) || key.StartsWith("node:", StringComparison.Ordinal) ? null : key;
    }

    /// <summary>
    /// A network's old and new bridge (a network that moves, or is deleted, still gets our objects removed
    /// from its old bridge), <c>network:NAME</c> (its interfaces that were, or become, of an unknown network),
    /// and the Node's floor resources.
    /// </summary>
    public static IEnumerable<string> For(ResourceChange<BridgeNetwork> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var name = (change.New ?? change.Old)?.Metadata?.Name;
        return new[] { change.Old?.Spec?.Bridge, change.New?.Spec?.Bridge }
            .Where(b => !string.IsNullOrEmpty(b)).Select(b => b!)
            .Concat(string.IsNullOrEmpty(name) ? [] : [NetworkPrefix + name])
            .Append(NodeResources)
            .Distinct(StringComparer.Ordinal);
    }

    /// <summary>The key of the interface before and after; the Node's floor resources too when its spec came or went or changed.</summary>
    public static IEnumerable<string> For(ResourceChange<InterfaceBandwidth> change, ResourceStore<BridgeNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(networks);
        var keys = new[] { change.Old, change.New }
            .Where(i => i is not null)
            .Select(i => ForInterface(i!, networks));
        var specChanged = change.Old is null || change.New is null || change.Old.Metadata?.Generation != change.New.Metadata?.Generation;
        return (specChanged ? keys.Append(NodeResources) : keys).Distinct(StringComparer.Ordinal);
    }

    public static string ForInterface(InterfaceBandwidth item, ResourceStore<BridgeNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(networks);
        var network = item.Spec?.Network ?? string.Empty;
        var bridge = networks.Get(network)?.Spec?.Bridge;
        return string.IsNullOrEmpty(bridge) ? NetworkPrefix + network : bridge;
    }

    /// <summary>
    /// This node's Node changed: new labels concern every key (nodeSelectors) and the floor resources; a
    /// change of the floor resources its status carries (someone else edited them) concerns those. Nothing
    /// else does (heartbeats, conditions, images).
    /// </summary>
    public static IEnumerable<string> For(ResourceChange<V1Node> change, Func<IEnumerable<string>> allKeys)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(allKeys);
        if (!SameLabels(change.Old?.Metadata?.Labels, change.New?.Metadata?.Labels) || change.Old is null || change.New is null)
        {
            return allKeys().Append(NodeResources).Distinct(StringComparer.Ordinal);
        }

        return SameFloorResources(change.Old.Status, change.New.Status) ? [] : [NodeResources];
    }

    /// <summary>A namespace's labels changed (or it came or went): the keys of the interfaces in it, whatever their kind.</summary>
    public static IEnumerable<string> For(ResourceChange<V1Namespace> change, ResourceStore<BridgeNetwork> networks, params ResourceStore<InterfaceBandwidth>[] interfaces)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(interfaces);
        if (change.Old is not null && change.New is not null && SameLabels(change.Old.Metadata?.Labels, change.New.Metadata?.Labels))
        {
            return [];
        }

        var ns = (change.New ?? change.Old)!.Metadata?.Name;
        return interfaces.SelectMany(s => s.List())
            .Where(i => i.Metadata?.NamespaceProperty == ns)
            .Select(i => ForInterface(i, networks))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every key the caches name (for resync and for tc changes we cannot attribute).</summary>
    public static IReadOnlyList<string> All(ResourceStore<BridgeNetwork> networks, ResourceStore<InterfaceBandwidth> interfaces)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(interfaces);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var n in networks.List())
        {
            if (!string.IsNullOrEmpty(n.Spec?.Bridge))
            {
                keys.Add(n.Spec.Bridge);
            }
        }

        foreach (var i in interfaces.List())
        {
            keys.Add(ForInterface(i, networks));
        }

        return [.. keys];
    }

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value));

    private static bool SameFloorResources(V1NodeStatus? a, V1NodeStatus? b) =>
        Ours(a?.Capacity).SequenceEqual(Ours(b?.Capacity)) && Ours(a?.Allocatable).SequenceEqual(Ours(b?.Allocatable));

    private static IEnumerable<string> Ours(IDictionary<string, ResourceQuantity>? map) =>
        (map ?? new Dictionary<string, ResourceQuantity>()).Where(kv => FloorResourceName.IsOurs(kv.Key))
            .Select(kv => $"{kv.Key}={kv.Value}").Order(StringComparer.Ordinal);
}
