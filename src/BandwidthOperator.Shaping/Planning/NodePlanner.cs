using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Admission;
using BandwidthOperator.Shaping.Allocation;
using BandwidthOperator.Shaping.Diff;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>
/// Resources + what the kernel holds → desired trees, admission, class IDs, conditions and the ordered
/// operations that get the kernel there. Pure: no kernel, no clock, no API server. Level-triggered:
/// the whole node is recomputed every time.
/// </summary>
public static class NodePlanner
{
    public static NodePlan Plan(NodeRequest request, NodeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(facts);
        var node = request.NodeName;
        var networkIssues = new List<string>();

        // Networks: validate; the first network (by name) to claim a bridge owns it.
        var networks = new Dictionary<string, (NetworkSettings? Settings, string? Problem, string? Reason)>(StringComparer.Ordinal);
        var bridgeOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var bn in request.Networks.OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal))
        {
            var name = bn.Metadata?.Name ?? string.Empty;
            var (settings, issues) = ResourceValidator.Validate(bn);
            if (settings is null)
            {
                var msg = $"BridgeNetwork {name} is invalid: {string.Join("; ", issues)}";
                networks[name] = (null, msg, ConditionReasons.InvalidNetwork);
                networkIssues.Add(msg);
            }
            else if (request.NodeLabels is { } labels && !LabelSelectorMatcher.Matches(settings.NodeSelector, labels))
            {
                networks[name] = (null, $"BridgeNetwork {name} does not select node {node}", ConditionReasons.NetworkNotOnNode);
            }
            else if (bridgeOwner.TryGetValue(settings.Bridge, out var owner))
            {
                var msg = $"BridgeNetwork {name}: bridge {settings.Bridge} is already managed by BridgeNetwork {owner} on {node}";
                networks[name] = (null, msg, ConditionReasons.BridgeInUse);
                networkIssues.Add(msg);
            }
            else
            {
                bridgeOwner[settings.Bridge] = name;
                networks[name] = (settings, null, null);
            }
        }

        // Interfaces of this node: validate and attach to networks.
        var outcomes = new List<InterfaceOutcome>();
        var byNetwork = new Dictionary<string, List<InterfaceSettings>>(StringComparer.Ordinal);
        var held = new List<LastApplied>();
        var order = 0;
        foreach (var ibw in request.Interfaces)
        {
            order++;
            if (ibw.Spec?.NodeName != node)
            {
                continue;
            }

            var name = new ObjectRef(InterfaceBandwidth.KubeKind, ibw.Metadata?.NamespaceProperty, ibw.Metadata?.Name ?? string.Empty);
            var (settings, issues) = ResourceValidator.Validate(ibw, order);
            if (settings is null)
            {
                var msg = $"{name} is invalid: {string.Join("; ", issues)}";
                outcomes.Add(Refused(name, ibw.Spec?.Network, ConditionReasons.InvalidSpec, msg, ibw.Metadata?.Generation ?? 0));
                if (LastApplied.Candidate(ibw, name, msg) is { } candidate)
                {
                    held.Add(candidate);
                }

                continue;
            }

            if (!networks.TryGetValue(settings.Network, out var net))
            {
                outcomes.Add(Refused(settings, ConditionReasons.UnknownNetwork, $"{name}: spec.network: BridgeNetwork {settings.Network} does not exist"));
                continue;
            }

            if (net.Settings is null)
            {
                outcomes.Add(Refused(settings, net.Reason!, $"{name}: spec.network: {net.Problem}"));
                continue;
            }

            if (request.NamespaceLabels is { } nsLabels && net.Settings.NamespaceSelector is not null
                && !LabelSelectorMatcher.Matches(net.Settings.NamespaceSelector, nsLabels.TryGetValue(settings.Ref.Namespace ?? string.Empty, out var l) ? l : new Dictionary<string, string>()))
            {
                outcomes.Add(Refused(settings, ConditionReasons.NamespaceNotAllowed, $"{name}: namespace {settings.Ref.Namespace} is not allowed by BridgeNetwork {settings.Network}'s namespaceSelector"));
                continue;
            }

            if (!byNetwork.TryGetValue(settings.Network, out var list))
            {
                byNetwork[settings.Network] = list = [];
            }

            list.Add(settings);
        }

        var bridges = new List<BridgeOutcome>();
        var desired = new List<TcObject>();
        var owned = new List<TcObject>();
        var observedByDevice = facts.Observed.Objects.ToLookup(o => o.Device, StringComparer.Ordinal);
        var claimedPorts = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (netName, net) in networks.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (net.Settings is not { } settings)
            {
                continue;
            }

            var members = byNetwork.TryGetValue(netName, out var m) ? m : [];
            members.Sort(AgeOrder);
            bridges.Add(PlanBridge(settings, members, [.. held.Where(h => h.Network == netName)], node, facts, observedByDevice, outcomes, desired, owned, claimedPorts));
        }

        // Bridges that carry one of our trees but no network here names any more (deleted, or no longer
        // selecting this node): the tree and the port limits go. Bridges of invalid networks are left as they are.
        var protectedBridges = request.Networks
            .Where(n => networks.TryGetValue(n.Metadata?.Name ?? string.Empty, out var e) && e.Reason is ConditionReasons.InvalidNetwork or ConditionReasons.BridgeInUse)
            .Select(n => n.Spec?.Bridge)
            .Where(b => !string.IsNullOrEmpty(b))
            .Select(b => b!)
            .ToHashSet(StringComparer.Ordinal);
        // Port limits go too when the bridge has no tree (a network without inbound.average has none).
        foreach (var dev in facts.Devices.Values.Where(d => d.IsBridge && request.PruneUnnamedBridges && !bridgeOwner.ContainsKey(d.Name) && !protectedBridges.Contains(d.Name)))
        {
            var root = observedByDevice[dev.Name].OfType<Qdisc>().FirstOrDefault(q => q.Parent == TcHandle.Root);
            if (root is not null && BridgeTree.IsOurRoot(root))
            {
                owned.Add(root);
            }

            OwnPortObjects(dev.Name, facts, observedByDevice, owned);
        }

        // IFB devices of ours whose port is gone or belongs to no managed bridge.
        var managedIfbs = owned.OfType<IfbLink>().Select(l => l.Device).Concat(desired.OfType<IfbLink>().Select(l => l.Device)).ToHashSet(StringComparer.Ordinal);
        var byIndex = facts.Devices.Values.ToDictionary(d => d.IfIndex);
        foreach (var dev in facts.Devices.Values.Where(d => DeviceLimits.IsOurIfb(d.Name) && !managedIfbs.Contains(d.Name)))
        {
            var port = int.TryParse(dev.Name.AsSpan(DeviceLimits.IfbPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var index) && byIndex.TryGetValue(index, out var p) ? p : null;
            var namedOnly = !request.PruneUnnamedBridges && (port?.Master is not { } m || !bridgeOwner.ContainsKey(m));
            if (!namedOnly && (port?.Master is not { } master || !protectedBridges.Contains(master)))
            {
                owned.Add(new IfbLink(dev.Name));
            }
        }

        var operations = TreeDiff.Plan(desired, owned);
        outcomes.Sort((a, b) => a.Ref.CompareTo(b.Ref));
        return new NodePlan(bridges, outcomes, operations, networkIssues);
    }

    /// <summary>Older first: creationTimestamp, then namespace/name; without timestamps, list order.</summary>
    public static int AgeOrder(InterfaceSettings a, InterfaceSettings b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Created is { } ca && b.Created is { } cb && ca != cb)
        {
            return ca.CompareTo(cb);
        }

        if (a.Created is null && b.Created is null)
        {
            return a.Order.CompareTo(b.Order);
        }

        if (a.Created is null != (b.Created is null))
        {
            return a.Created is null ? 1 : -1;
        }

        return a.Ref.CompareTo(b.Ref);
    }

    private static BridgeOutcome PlanBridge(
        NetworkSettings net,
        List<InterfaceSettings> members,
        List<LastApplied> invalidEdits,
        string node,
        NodeFacts facts,
        ILookup<string, TcObject> observed,
        List<InterfaceOutcome> outcomes,
        List<TcObject> desired,
        List<TcObject> owned,
        HashSet<string> claimedPorts)
    {
        var bridge = net.Bridge;
        var leafKind = facts.LeafQdiscKind;

        if (!facts.Devices.ContainsKey(bridge))
        {
            var msg = $"bridge {bridge} of BridgeNetwork {net.Name} does not exist on node {node}";
            foreach (var s in members)
            {
                outcomes.Add(Refused(s, ConditionReasons.BridgeMissing, msg) with { Bridge = bridge });
            }

            return new BridgeOutcome(net.Name, bridge, false, net.Average, BitRate.Zero, members.Count, leafKind, msg, []);
        }

        var bridgeObjects = observed[bridge].ToList();
        var root = bridgeObjects.OfType<Qdisc>().FirstOrDefault(q => q.Parent == TcHandle.Root);
        var foreignRoot = root is not null && !TreeDiff.IsImplicit(root) && !BridgeTree.IsOurRoot(root);
        string? bridgeProblem = foreignRoot
            ? $"bridge {bridge} on node {node} already has a root qdisc {root!.Kind} {root.Handle} that BandwidthOperator did not create; it is left alone (remove it to let floors apply)"
            : null;

        if (!foreignRoot && root is not null && BridgeTree.IsOurRoot(root))
        {
            // Our root: everything on the bridge's egress is ours; its ingress side is not.
            owned.AddRange(bridgeObjects.Where(o => o.Parent() is { } p && (p == TcHandle.Root || (p != TcHandle.Ingress && p.Major != 0xFFFF))));
        }

        // The kernel's view of this bridge's floors: MAC → class, class → rate.
        var kernelClassOfMac = new Dictionary<MacAddress, ushort>();
        var kernelRate = new Dictionary<ushort, BitRate>();
        var kernelCeil = new Dictionary<ushort, BitRate>();
        if (!foreignRoot)
        {
            foreach (var f in bridgeObjects.OfType<U32Filter>())
            {
                if (BridgeTree.MacOf(f) is { } mac && f.FlowId is { Major: BridgeTree.RootMajor } flow && ClassIdAllocator.IsValid(flow.Minor))
                {
                    kernelClassOfMac.TryAdd(mac, flow.Minor);
                }
            }

            foreach (var c in bridgeObjects.OfType<HtbClass>())
            {
                if (c.Handle.Major == BridgeTree.RootMajor && ClassIdAllocator.IsValid(c.Handle.Minor))
                {
                    kernelRate[c.Handle.Minor] = c.Rate;
                    kernelCeil[c.Handle.Minor] = c.Ceil;
                }
            }
        }

        // One MAC once per bridge: the older claim wins.
        var accepted = new List<InterfaceSettings>();
        var macOwner = new Dictionary<MacAddress, InterfaceSettings>();
        var pending = new Dictionary<ObjectRef, (ConditionOutcome Admitted, string? Device, ConditionOutcome? NotReady)>();
        // The claim whose class the kernel already carries for this MAC (per its status) comes first, then age.
        bool Incumbent(InterfaceSettings s) => s.StatusClassId is { } held && kernelClassOfMac.TryGetValue(s.Mac, out var k) && k == held;
        foreach (var s in members.Where(Incumbent).Concat(members.Where(m => !Incumbent(m))))
        {
            if (macOwner.TryGetValue(s.Mac, out var first))
            {
                outcomes.Add(Refused(s, ConditionReasons.DuplicateMac, $"{s.Ref}: spec.macAddress {s.Mac} is already claimed on bridge {bridge} on node {node} by {first.Ref}") with { Bridge = bridge });
                continue;
            }

            macOwner[s.Mac] = s;
        }

        accepted.AddRange(members.Where(m => macOwner.TryGetValue(m.Mac, out var owner) && ReferenceEquals(owner, m)));

        // Class IDs held already: status first, then the kernel's filter for the MAC.
        var allocator = new ClassIdAllocator();
        var classOf = new Dictionary<ObjectRef, ushort>();
        var floored = accepted.Where(s => s.Floor is not null && net.Average is not null && !foreignRoot).ToList();
        foreach (var s in floored)
        {
            if (s.StatusClassId is { } id && allocator.TryClaim(id))
            {
                classOf[s.Ref] = id;
            }
        }

        foreach (var s in floored)
        {
            if (!classOf.ContainsKey(s.Ref) && kernelClassOfMac.TryGetValue(s.Mac, out var id) && allocator.TryClaim(id))
            {
                classOf[s.Ref] = id;
            }
        }

        // Invalid edits of resources that were applied: what the kernel carries for their MAC stays.
        var kept = new List<FloorClass>();
        foreach (var h in invalidEdits.Where(h => !macOwner.ContainsKey(h.Mac)))
        {
            var keptClass = !foreignRoot && net.Average is not null ? h.KeepClass(kernelClassOfMac, kernelRate, kernelCeil, allocator) : null;
            var keptDevice = h.Device ?? facts.PortOf(bridge, h.Mac);
            var keptLimits = keptDevice is not null && facts.Devices.TryGetValue(keptDevice, out var kd) && kd.Master == bridge
                && OwnedOnDevice(observed[keptDevice]).Any() && claimedPorts.Add(keptDevice);
            if (keptLimits)
            {
                desired.AddRange(OwnedOnDevice(observed[keptDevice!]));
                var ifb = DeviceLimits.IfbName(facts.Devices[keptDevice!].IfIndex);
                if (facts.Devices.ContainsKey(ifb))
                {
                    desired.Add(new IfbLink(ifb));
                    desired.AddRange(OwnedOnDevice(observed[ifb]));
                }
            }

            if (keptClass is not null || keptLimits)
            {
                kept.AddRange(keptClass is null ? [] : [keptClass]);
                outcomes.RemoveAll(o => o.Ref == h.Ref);
                outcomes.Add(h.Outcome(bridge, keptClass, keptLimits ? keptDevice : null));
            }
        }

        var keptSum = kept.Aggregate(BitRate.Zero, (sum, k) => sum + k.Floor);

        // Admission.
        var decisions = new Dictionary<ObjectRef, FloorDecision>();
        if (net.Average is { } capacity && !foreignRoot)
        {
            capacity -= keptSum;
            var requests = floored.Select(s => new FloorRequest(
                s.Ref,
                s.Floor!.Value,
                classOf.TryGetValue(s.Ref, out var id) && kernelRate.TryGetValue(id, out var applied) && kernelClassOfMac.GetValueOrDefault(s.Mac) == id ? applied : null)).ToList();
            foreach (var d in FloorAdmission.Decide(requests, capacity, net.Name, node))
            {
                decisions[d.Ref] = d;
            }
        }

        var floors = new List<FloorClass>(kept);
        var floorSum = keptSum;
        foreach (var s in accepted)
        {
            ConditionOutcome admitted;
            ushort? classId = null;
            BitRate? applied = null;
            if (s.Floor is not { } floor)
            {
                admitted = new(true, ConditionReasons.NoFloor, "no floor requested; inbound traffic shares the default class");
            }
            else if (net.Average is null)
            {
                admitted = new(false, ConditionReasons.FloorNeedsNetworkAverage, $"{s.Ref}: spec.inbound.floor: BridgeNetwork {net.Name} has no spec.inbound.average to carve floors from");
            }
            else if (foreignRoot)
            {
                admitted = new(false, ConditionReasons.ForeignRootQdisc, bridgeProblem!);
            }
            else
            {
                var d = decisions[s.Ref];
                if (d.Granted is { } granted)
                {
                    ushort? id = classOf.TryGetValue(s.Ref, out var held) ? held : allocator.Allocate();
                    if (id is null)
                    {
                        admitted = new(false, ConditionReasons.ClassIdsExhausted, $"all class IDs 3..65535 on bridge {bridge} on node {node} are in use");
                    }
                    else
                    {
                        classId = id;
                        applied = granted;
                        floorSum += granted;
                        floors.Add(new FloorClass(id.Value, s.Mac, granted, s.Inbound.Average ?? net.Average.Value));
                        admitted = d.FullyAdmitted
                            ? new(true, ConditionReasons.FloorAdmitted, $"floor {floor} admitted as class 1:{id.Value:x} on bridge {bridge}")
                            : new(false, ConditionReasons.FloorOvercommitted, d.Message);
                    }
                }
                else
                {
                    // Not admitted now: the ID it holds stays reserved for it (kept for the floor's life).
                    classId = classOf.TryGetValue(s.Ref, out var held) ? held : null;
                    admitted = floor > net.Average.Value
                        ? new(false, ConditionReasons.FloorAboveNetworkAverage, $"{s.Ref}: spec.inbound.floor: floor {floor} is above the whole inbound average {net.Average.Value} of BridgeNetwork {net.Name}; it can never be admitted (lower it, or raise the network's spec.inbound.average)")
                        : new(false, ConditionReasons.FloorOvercommitted, d.Message);
                }
            }

            // Per-interface limits on the host device.
            string? device = null;
            ConditionOutcome? notReady = null;
            if (s.Inbound.HasDeviceLimit || s.Outbound.HasDeviceLimit)
            {
                device = s.Device ?? facts.PortOf(bridge, s.Mac);
                if (device is null || !facts.Devices.TryGetValue(device, out var dev))
                {
                    notReady = new(false, ConditionReasons.DeviceNotFound, device is null
                        ? $"{s.Ref}: no spec.device, and MAC {s.Mac} is not in bridge {bridge}'s forwarding database on node {node}; average/peak limits wait for it"
                        : $"{s.Ref}: spec.device: device {device} does not exist on node {node}");
                }
                else if (dev.Master != bridge)
                {
                    notReady = new(false, ConditionReasons.DeviceNotFound, $"{s.Ref}: spec.device: device {device} is not a port of bridge {bridge} on node {node}");
                }
                else if (!claimedPorts.Add(device))
                {
                    notReady = new(false, ConditionReasons.DeviceInUse, $"{s.Ref}: device {device} is already shaped for another InterfaceBandwidth on node {node}");
                }
                else if (DeviceProblem(device, observed[device]) is { } problem)
                {
                    notReady = new(false, ConditionReasons.ForeignDeviceQdisc, $"{s.Ref}: {problem}");
                }
                else
                {
                    desired.AddRange(DeviceLimits.Build(device, dev.IfIndex, s.Inbound, s.Outbound));
                }
            }

            if (admitted.Status is false && admitted.Reason == ConditionReasons.ForeignRootQdisc)
            {
                notReady ??= admitted;
            }

            outcomes.Add(new InterfaceOutcome(
                s.Ref,
                s.Network,
                bridge,
                classId,
                applied,
                device,
                admitted,
                notReady ?? new ConditionOutcome(true, ConditionReasons.Applied, "applied"),
                s.Generation));
        }

        // Devices of this bridge that carry our per-interface objects: all of them are ours to manage.
        OwnPortObjects(bridge, facts, observed, owned);

        if (net.Average is { } cap && !foreignRoot)
        {
            var bridgeTree = BridgeTree.Build(bridge, cap, net.Burst, floors, LeafOptions(leafKind));
            desired.AddRange(bridgeTree);
            return new BridgeOutcome(net.Name, bridge, true, cap, floorSum, accepted.Count, leafKind, string.Empty, bridgeTree);
        }

        return new BridgeOutcome(
            net.Name,
            bridge,
            !foreignRoot,
            net.Average,
            floorSum,
            accepted.Count,
            leafKind,
            bridgeProblem ?? (net.Average is null ? "no inbound.average: no class tree on the bridge; per-interface limits only" : string.Empty),
            []);
    }

    /// <summary>Our objects on the ports of <paramref name="bridge"/> and on their IFB devices.</summary>
    private static void OwnPortObjects(string bridge, NodeFacts facts, ILookup<string, TcObject> observed, List<TcObject> owned)
    {
        foreach (var dev in facts.Devices.Values.Where(d => d.Master == bridge))
        {
            owned.AddRange(OwnedOnDevice(observed[dev.Name]));
            var ifb = DeviceLimits.IfbName(dev.IfIndex);
            if (facts.Devices.ContainsKey(ifb))
            {
                owned.Add(new IfbLink(ifb));
                owned.AddRange(OwnedOnDevice(observed[ifb]));
            }
        }
    }

    public static QdiscOptions LeafOptions(string kind) => kind switch
    {
        "fq_codel" => new FqCodelQdiscOptions(),
        "sfq" => new SfqQdiscOptions(),
        _ => FifoQdiscOptions.Pfifo(1000),
    };

    private static IEnumerable<TcObject> OwnedOnDevice(IEnumerable<TcObject> objects)
    {
        var list = objects.ToList();
        foreach (var o in list)
        {
            switch (o)
            {
                case Qdisc q when DeviceLimits.IsOurTbf(q):
                    yield return q;
                    break;
                case Qdisc q when q.Parent == TcHandle.Ingress && IngressIsOurs(list):
                    yield return q;
                    break;
                case U32Filter f when f.Parent == DeviceLimits.IngressHandle && IngressIsOurs(list):
                    yield return f;
                    break;
            }
        }
    }

    /// <summary>An ingress qdisc is ours when every filter on it redirects to one of our IFB devices.</summary>
    private static bool IngressIsOurs(List<TcObject> objects)
    {
        var filters = objects.OfType<U32Filter>().Where(f => f.Parent == DeviceLimits.IngressHandle && !TreeDiff.IsImplicit(f)).ToList();
        return filters.Count > 0 && filters.All(f => f.RedirectTo is { } to && DeviceLimits.IsOurIfb(to));
    }

    private static string? DeviceProblem(string device, IEnumerable<TcObject> objects)
    {
        var list = objects.ToList();
        var root = list.OfType<Qdisc>().FirstOrDefault(q => q.Parent == TcHandle.Root);
        if (root is not null && !TreeDiff.IsImplicit(root) && !DeviceLimits.IsOurTbf(root))
        {
            return $"device {device} already has a root qdisc {root.Kind} {root.Handle} that BandwidthOperator did not create; it is left alone";
        }

        var ingress = list.OfType<Qdisc>().FirstOrDefault(q => q.Parent == TcHandle.Ingress);
        var hasFilters = list.OfType<U32Filter>().Any(f => f.Parent == DeviceLimits.IngressHandle && !TreeDiff.IsImplicit(f));
        if (ingress is not null && hasFilters && !IngressIsOurs(list))
        {
            return $"device {device} already has an {ingress.Kind} qdisc with filters that BandwidthOperator did not create; it is left alone";
        }

        return null;
    }

    private static InterfaceOutcome Refused(InterfaceSettings s, string reason, string message) =>
        new(s.Ref, s.Network, null, null, null, null, new(false, reason, message), new(false, reason, message), s.Generation);

    private static InterfaceOutcome Refused(ObjectRef r, string? network, string reason, string message, long generation) =>
        new(r, network, null, null, null, null, new(false, reason, message), new(false, reason, message), generation);
}
