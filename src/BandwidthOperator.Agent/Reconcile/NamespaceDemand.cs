using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>Whether the networks need namespace labels: then, and only then, the agent watches Namespaces.</summary>
public static class NamespaceDemand
{
    /// <summary>
    /// A <c>namespaceSelector</c>, or a <c>rawMacNamespaceSelector</c> that looks at labels (an empty one
    /// selects every namespace, an absent one none: neither needs labels).
    /// </summary>
    public static bool Needs(BridgeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Spec?.NamespaceSelector is not null
            || network.Spec?.RawMacNamespaceSelector is { MatchLabels.Count: > 0 } or { MatchExpressions.Count: > 0 };
    }

    public static bool Needed(IEnumerable<BridgeNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        return networks.Any(Needs);
    }
}
