using System.Runtime.CompilerServices;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 2, members: this node's InterfaceBandwidths validated and attached to their networks (oldest
/// first, <see cref="NodePlanner.AgeOrder"/>), or refused with the reason. Pure.
/// <para>
/// Validation is memoised per object instance that came from an API server (it has a resourceVersion): the
/// agent plans the same cached objects again and again, and validating 2,000 of them (MACs and quantities
/// parsed) was a quarter of a plan. An entry is used only while the object still has the resourceVersion, spec,
/// status and the agent-filled fields it was validated with (docs/architecture.md, "The planner pipeline").
/// </para>
/// </summary>
internal static class MemberStage
{
    private static readonly IReadOnlyDictionary<string, string> NoNamespaceLabels = new Dictionary<string, string>();
    private static readonly ConditionalWeakTable<InterfaceBandwidth, Validated> Memo = [];

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

    /// <summary><see cref="ResourceValidator.Validate(InterfaceBandwidth, int)"/>, memoised per API-server object (see the class).</summary>
    internal static (InterfaceSettings? Settings, IReadOnlyList<ValidationIssue> Issues) Validate(InterfaceBandwidth ibw, int order)
    {
        if (string.IsNullOrEmpty(ibw.Metadata?.ResourceVersion))
        {
            return ResourceValidator.Validate(ibw, order);
        }

        if (Memo.TryGetValue(ibw, out var hit) && hit.Matches(ibw))
        {
            return (hit.Settings is { } s && s.Order != order ? s with { Order = order } : hit.Settings, hit.Issues);
        }

        var (settings, issues) = ResourceValidator.Validate(ibw, order);
        Memo.AddOrUpdate(ibw, new Validated(ibw, settings, issues));
        return (settings, issues);
    }

    public static InterfaceOutcome Refusal(InterfaceSettings s, string reason, string message) =>
        new(s.Ref, s.Network, null, null, null, null, new(false, reason, message), new(false, reason, message), s.Generation);

    private static InterfaceOutcome Refusal(ObjectRef r, string? network, string reason, string message, long generation) =>
        new(r, network, null, null, null, null, new(false, reason, message), new(false, reason, message), generation);

    /// <summary>One validation, and what of the object it was made from (a change of any voids it).</summary>
    private sealed class Validated(InterfaceBandwidth ibw, InterfaceSettings? settings, IReadOnlyList<ValidationIssue> issues)
    {
        private readonly object? _metadata = ibw.Metadata;
        private readonly object? _spec = ibw.Spec;
        private readonly object? _status = ibw.Status;
        private readonly string? _resourceVersion = ibw.Metadata?.ResourceVersion;
        private readonly long? _generation = ibw.Metadata?.Generation;
        private readonly string? _node = ibw.Spec?.NodeName;
        private readonly string? _mac = ibw.Spec?.MacAddress;
        private readonly string? _device = ibw.Spec?.Device;
        private readonly int? _classId = ibw.Status?.ClassId;
        private readonly int? _outboundClassId = ibw.Status?.OutboundClassId;

        public InterfaceSettings? Settings { get; } = settings;

        public IReadOnlyList<ValidationIssue> Issues { get; } = issues;

        public bool Matches(InterfaceBandwidth o) =>
            ReferenceEquals(_metadata, o.Metadata) && ReferenceEquals(_spec, o.Spec) && ReferenceEquals(_status, o.Status)
            && _resourceVersion == o.Metadata?.ResourceVersion && _generation == o.Metadata?.Generation
            && _node == o.Spec?.NodeName && _mac == o.Spec?.MacAddress && _device == o.Spec?.Device
            && _classId == o.Status?.ClassId && _outboundClassId == o.Status?.OutboundClassId;
    }

    private static void Add<T>(Dictionary<string, List<T>> lists, string key, T item)
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }

        list.Add(item);
    }
}
