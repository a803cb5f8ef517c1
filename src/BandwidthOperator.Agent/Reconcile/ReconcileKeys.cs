using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>
/// Which work-queue keys a change concerns. Keys are bridge names; an interface whose network is not
/// (yet) known is keyed <c>network:NAME</c> so it is still looked at (and told UnknownNetwork).
/// </summary>
public static class ReconcileKeys
{
    public const string NetworkPrefix = "network:";

    /// <summary>
    /// The key reconciled once at start whatever the caches hold: with no network left (all deleted while
    /// the agent was down) no bridge key exists, yet the Node's floor resources must still be cleaned up.
    /// </summary>
    public const string NodeResources = "node:floor-resources";

    public static IEnumerable<string> For(ResourceChange<BridgeNetwork> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new[] { change.Old?.Spec?.Bridge, change.New?.Spec?.Bridge }
            .Where(b => !string.IsNullOrEmpty(b)).Select(b => b!).Distinct(StringComparer.Ordinal);
    }

    public static IEnumerable<string> For(ResourceChange<InterfaceBandwidth> change, ResourceStore<BridgeNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(networks);
        return new[] { change.Old, change.New }
            .Where(i => i is not null)
            .Select(i => ForInterface(i!, networks))
            .Distinct(StringComparer.Ordinal);
    }

    public static string ForInterface(InterfaceBandwidth item, ResourceStore<BridgeNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(networks);
        var network = item.Spec?.Network ?? string.Empty;
        var bridge = networks.Get(network)?.Spec?.Bridge;
        return string.IsNullOrEmpty(bridge) ? NetworkPrefix + network : bridge;
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
}
