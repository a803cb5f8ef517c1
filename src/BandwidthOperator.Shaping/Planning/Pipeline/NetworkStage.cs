using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 1, networks: each BridgeNetwork validated, matched against this node's labels, and given its
/// bridge — the first network by name to claim a bridge manages it. Pure.
/// </summary>
internal static class NetworkStage
{
    public static NetworkTable Resolve(NodeRequest request)
    {
        var node = request.NodeName;
        var byName = new Dictionary<string, NetworkEntry>(StringComparer.Ordinal);
        var bridgeOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        var issues = new List<string>();
        var outcomes = new List<NetworkOutcome>(request.Networks.Count);
        foreach (var bn in request.Networks.OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal))
        {
            var name = bn.Metadata?.Name ?? string.Empty;
            var (settings, problems) = ResourceValidator.Validate(bn);
            NetworkEntry entry;
            if (settings is null)
            {
                var msg = $"BridgeNetwork {name} is invalid: {string.Join("; ", problems)}";
                entry = new(null, new NetworkOutcome(name, NetworkState.Invalid, NonEmpty(bn.Spec?.Bridge), ConditionReasons.InvalidNetwork, msg));
            }
            else if (request.NodeLabels is { } labels && !LabelSelectorMatcher.Matches(settings.NodeSelector, labels))
            {
                entry = new(null, new NetworkOutcome(name, NetworkState.NotOnNode, settings.Bridge, ConditionReasons.NetworkNotOnNode, $"BridgeNetwork {name} does not select node {node}"));
            }
            else if (bridgeOwner.TryGetValue(settings.Bridge, out var owner))
            {
                var msg = $"BridgeNetwork {name}: bridge {settings.Bridge} is already managed by BridgeNetwork {owner} on {node}";
                entry = new(null, new NetworkOutcome(name, NetworkState.BridgeInUse, settings.Bridge, ConditionReasons.BridgeInUse, msg));
            }
            else
            {
                bridgeOwner[settings.Bridge] = name;
                entry = new(settings, new NetworkOutcome(name, NetworkState.Planned, settings.Bridge, null, string.Empty));
            }

            byName[name] = entry;
            // With a scope, a network is reported only by the pass of its bridge (an invalid spec's bridge as written).
            if (request.InScope(entry.Outcome.Bridge))
            {
                outcomes.Add(entry.Outcome);
                if (entry.Outcome.IsIssue)
                {
                    issues.Add(entry.Outcome.Message);
                }
            }
        }

        var planned = new List<NetworkEntry>();
        foreach (var (_, entry) in byName.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (entry.Settings is { } s && request.InScope(s.Bridge))
            {
                planned.Add(entry);
            }
        }

        // The bridges of invalid networks and of networks claiming a managed bridge are left as they are.
        var protectedBridges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in request.Networks)
        {
            if (byName.TryGetValue(n.Metadata?.Name ?? string.Empty, out var e) && e.Outcome.State is NetworkState.Invalid or NetworkState.BridgeInUse
                && n.Spec?.Bridge is { Length: > 0 } bridge)
            {
                protectedBridges.Add(bridge);
            }
        }

        return new NetworkTable(byName, planned, bridgeOwner, protectedBridges, issues, outcomes);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
