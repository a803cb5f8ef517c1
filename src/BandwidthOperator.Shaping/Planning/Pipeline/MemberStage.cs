using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 2, members: this node's InterfaceBandwidths validated and attached to their networks (oldest
/// first, <see cref="NodePlanner.AgeOrder"/>), or refused with the reason. Pure.
/// </summary>
internal static class MemberStage
{
    private static readonly IReadOnlyDictionary<string, string> NoNamespaceLabels = new Dictionary<string, string>();

    public static MemberTable Attach(NodeRequest request, NetworkTable networks)
    {
        var node = request.NodeName;
        var refused = new List<InterfaceOutcome>();
        var byNetwork = new Dictionary<string, List<InterfaceSettings>>(StringComparer.Ordinal);
        var edits = new Dictionary<string, List<LastApplied>>(StringComparer.Ordinal);

        // With a scope, an interface of a network on another bridge is that bridge's business (one whose
        // network is unknown, or names no bridge, belongs to none: it is reported if the caller passed it).
        Dictionary<string, string>? bridgeOfNetwork = null;
        if (request.ScopeBridges is not null)
        {
            bridgeOfNetwork = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var n in request.Networks)
            {
                if (n.Metadata?.Name is { } name && !string.IsNullOrEmpty(n.Spec?.Bridge))
                {
                    bridgeOfNetwork.TryAdd(name, n.Spec.Bridge);
                }
            }
        }

        var order = 0;
        foreach (var ibw in request.Interfaces)
        {
            order++;
            if (ibw.Spec?.NodeName != node
                || (bridgeOfNetwork is not null && bridgeOfNetwork.TryGetValue(ibw.Spec.Network ?? string.Empty, out var networkBridge) && !request.InScope(networkBridge)))
            {
                continue;
            }

            var name = new ObjectRef(InterfaceBandwidth.KubeKind, ibw.Metadata?.NamespaceProperty, ibw.Metadata?.Name ?? string.Empty);
            var (settings, issues) = Validate(ibw, order);
            if (settings is null)
            {
                var msg = $"{name} is invalid: {string.Join("; ", issues)}";
                refused.Add(Refusal(name, ibw.Spec?.Network, ConditionReasons.InvalidSpec, msg, ibw.Metadata?.Generation ?? 0));
                if (LastApplied.Candidate(ibw, name, msg) is { } candidate)
                {
                    Add(edits, candidate.Network, candidate);
                }

                continue;
            }

            if (!networks.ByName.TryGetValue(settings.Network, out var net))
            {
                refused.Add(Refusal(settings, ConditionReasons.UnknownNetwork, $"{name}: spec.network: BridgeNetwork {settings.Network} does not exist"));
                continue;
            }

            if (net.Settings is null)
            {
                refused.Add(Refusal(settings, net.Outcome.Reason!, $"{name}: spec.network: {net.Outcome.Message}"));
                continue;
            }

            if (request.NamespaceLabels is { } nsLabels && net.Settings.NamespaceSelector is not null
                && !LabelSelectorMatcher.Matches(net.Settings.NamespaceSelector, nsLabels.TryGetValue(settings.Ref.Namespace ?? string.Empty, out var l) ? l : NoNamespaceLabels))
            {
                refused.Add(Refusal(settings, ConditionReasons.NamespaceNotAllowed, $"{name}: namespace {settings.Ref.Namespace} is not allowed by BridgeNetwork {settings.Network}'s namespaceSelector"));
                continue;
            }

            Add(byNetwork, settings.Network, settings);
        }

        foreach (var members in byNetwork.Values)
        {
            members.Sort(NodePlanner.AgeOrder);
        }

        return new MemberTable(byNetwork, refused, edits);
    }

    /// <summary>One interface validated (<see cref="ResourceValidator.Validate(InterfaceBandwidth, int)"/>), with its position in the request as its order.</summary>
    internal static (InterfaceSettings? Settings, IReadOnlyList<ValidationIssue> Issues) Validate(InterfaceBandwidth ibw, int order) =>
        ResourceValidator.Validate(ibw, order);

    public static InterfaceOutcome Refusal(InterfaceSettings s, string reason, string message) =>
        new(s.Ref, s.Network, null, null, null, null, new(false, reason, message), new(false, reason, message), s.Generation);

    private static InterfaceOutcome Refusal(ObjectRef r, string? network, string reason, string message, long generation) =>
        new(r, network, null, null, null, null, new(false, reason, message), new(false, reason, message), generation);

    private static void Add<T>(Dictionary<string, List<T>> lists, string key, T item)
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }

        list.Add(item);
    }
}
