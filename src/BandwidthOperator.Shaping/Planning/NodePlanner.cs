using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Admission;
using BandwidthOperator.Shaping.Allocation;
using BandwidthOperator.Shaping.Diff;
using BandwidthOperator.Shaping.Ports;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>
/// Resources + what the kernel holds → desired trees, admission, class IDs, conditions and the ordered
/// operations that get the kernel there. Pure: no kernel, no clock, no API server. Level-triggered:
/// the whole node — or the bridges of <see cref="NodeRequest.ScopeBridges"/> — is recomputed every time.
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
                if (request.InScope(bn.Spec?.Bridge))
                {
                    networkIssues.Add(msg);
                }
            }
            else if (request.NodeLabels is { } labels && !LabelSelectorMatcher.Matches(settings.NodeSelector, labels))
            {
                networks[name] = (null, $"BridgeNetwork {name} does not select node {node}", ConditionReasons.NetworkNotOnNode);
            }
            else if (bridgeOwner.TryGetValue(settings.Bridge, out var owner))
            {
                var msg = $"BridgeNetwork {name}: bridge {settings.Bridge} is already managed by BridgeNetwork {owner} on {node}";
                networks[name] = (null, msg, ConditionReasons.BridgeInUse);
                if (request.InScope(settings.Bridge))
                {
                    networkIssues.Add(msg);
                }
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
        // With a scope, an interface of a network on another bridge is that bridge's business (one whose
        // network is unknown, or names no bridge, belongs to none: it is reported if the caller passed it).
        var bridgeOfNetwork = request.Networks
            .Where(n => n.Metadata?.Name is not null && !string.IsNullOrEmpty(n.Spec?.Bridge))
            .GroupBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Spec.Bridge, StringComparer.Ordinal);
        foreach (var ibw in request.Interfaces)
        {
            order++;
            if (ibw.Spec?.NodeName != node
                || (bridgeOfNetwork.TryGetValue(ibw.Spec.Network ?? string.Empty, out var networkBridge) && !request.InScope(networkBridge)))
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

        foreach (var (netName, net) in networks.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (net.Settings is not { } settings || !request.InScope(settings.Bridge))
            {
                continue;
            }

            var members = byNetwork.TryGetValue(netName, out var m) ? m : [];
            members.Sort(AgeOrder);
            bridges.Add(PlanBridge(settings, members, [.. held.Where(h => h.Network == netName)], node, facts, observedByDevice, outcomes, desired, owned));
        }

        // Bridges no network here names any more (deleted, or no longer selecting this node): what we put on
        // them and their ports goes (the previous layout's root tree too). Bridges of invalid networks are left as they are.
        var protectedBridges = request.Networks
            .Where(n => networks.TryGetValue(n.Metadata?.Name ?? string.Empty, out var e) && e.Reason is ConditionReasons.InvalidNetwork or ConditionReasons.BridgeInUse)
            .Select(n => n.Spec?.Bridge)
            .Where(b => !string.IsNullOrEmpty(b))
            .Select(b => b!)
            .ToHashSet(StringComparer.Ordinal);
        // Port limits go too when the bridge has no tree (a network without inbound.average has none).
        foreach (var dev in facts.Devices.Values.Where(d => d.IsBridge && request.PruneUnnamedBridges && request.InScope(d.Name) && !bridgeOwner.ContainsKey(d.Name) && !protectedBridges.Contains(d.Name)))
        {
            OwnLegacyRoot(dev.Name, observedByDevice, owned);
            OwnPortObjects(dev.Name, facts, observedByDevice, owned);
        }

        // IFB devices of ours whose bridge (or, previous layout, port) is gone or belongs to no managed bridge.
        var managedIfbs = owned.OfType<IfbLink>().Select(l => l.Device).Concat(desired.OfType<IfbLink>().Select(l => l.Device)).ToHashSet(StringComparer.Ordinal);
        var byIndex = facts.Devices.Values.ToDictionary(d => d.IfIndex);
        foreach (var dev in facts.Devices.Values.Where(d => !managedIfbs.Contains(d.Name)))
        {
            if (ShapingTree.ParseIfb(dev.Name) is { } ours)
            {
                var bridge = byIndex.TryGetValue(ours.BridgeIndex, out var b) && b.IsBridge ? b.Name : null;
                var namedOnly = !request.PruneUnnamedBridges && (bridge is null || !bridgeOwner.ContainsKey(bridge));
                var outOfScope = bridge is not null && !request.InScope(bridge); // an IFB whose bridge is gone belongs to no scope: any pass removes it
                if (!namedOnly && !outOfScope && (bridge is null || !protectedBridges.Contains(bridge)))
                {
                    owned.Add(new IfbLink(dev.Name));
                }
            }
            else if (DeviceLimits.IsOurIfb(dev.Name))
            {
                var port = int.TryParse(dev.Name.AsSpan(DeviceLimits.IfbPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var index) && byIndex.TryGetValue(index, out var p) ? p : null;
                var namedOnly = !request.PruneUnnamedBridges && (port?.Master is not { } m || !bridgeOwner.ContainsKey(m));
                var outOfScope = port?.Master is { } portBridge && !request.InScope(portBridge);
                if (!namedOnly && !outOfScope && (port?.Master is not { } master || !protectedBridges.Contains(master)))
                {
                    owned.Add(new IfbLink(dev.Name));
                }
            }
        }

        // A class that only capped (token rate) and now gets a floor is made anew: HTB keeps the deficit it
        // ran up borrowing at the token rate, and would not give it the floor for up to a minute.
        var operations = TreeDiff.Plan(desired, owned, (observed, wanted) => observed.Rate <= ShapingTree.LimitOnlyRate && wanted.Rate > ShapingTree.LimitOnlyRate);
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

    private sealed record DirectionPlan(
        Dictionary<ObjectRef, FloorClass> Kept,
        Dictionary<ObjectRef, ushort> ClassOf,
        HashSet<ObjectRef> InTree,
        Dictionary<ObjectRef, BitRate> Applied,
        Dictionary<ObjectRef, ConditionOutcome> Refused,
        IReadOnlyList<TcObject> Tree,
        BitRate FloorSum,
        string Ifb);

    private static BridgeOutcome PlanBridge(
        NetworkSettings net,
        List<InterfaceSettings> members,
        List<LastApplied> invalidEdits,
        string node,
        NodeFacts facts,
        ILookup<string, TcObject> observed,
        List<InterfaceOutcome> outcomes,
        List<TcObject> desired,
        List<TcObject> owned)
    {
        var bridge = net.Bridge;
        var leafKind = facts.LeafQdiscKind;

        if (!facts.Devices.TryGetValue(bridge, out var bridgeDev))
        {
            var msg = $"bridge {bridge} of BridgeNetwork {net.Name} does not exist on node {node}";
            foreach (var s in members)
            {
                outcomes.Add(Refused(s, ConditionReasons.BridgeMissing, msg) with { Bridge = bridge });
            }

            return new BridgeOutcome(net.Name, bridge, false, net.Average, BitRate.Zero, members.Count, leafKind, msg, []);
        }

        // The previous layout's tree on the bridge device itself: removed, its class IDs adopted below.
        var legacyObjects = OwnLegacyRoot(bridge, observed, owned);

        // Our IFB devices of this bridge and everything on them; our hooks (and the previous layout's objects) on its ports.
        var ifbs = new[] { ShapingTree.IfbName(Direction.Inbound, bridgeDev.IfIndex), ShapingTree.IfbName(Direction.Outbound, bridgeDev.IfIndex) };
        foreach (var ifb in ifbs.Where(facts.Devices.ContainsKey))
        {
            owned.Add(new IfbLink(ifb));
            owned.AddRange(observed[ifb]);
        }

        OwnPortObjects(bridge, facts, observed, owned);

        // The kernel's view, per direction: MAC → class, class → rate (the previous layout's tree counts as inbound).
        var kernelClassOfMac = new[] { new Dictionary<MacAddress, ushort>(), new Dictionary<MacAddress, ushort>() };
        var kernelRate = new[] { new Dictionary<ushort, BitRate>(), new Dictionary<ushort, BitRate>() };
        var kernelCeil = new[] { new Dictionary<ushort, BitRate>(), new Dictionary<ushort, BitRate>() };
        foreach (var d in new[] { Direction.Inbound, Direction.Outbound })
        {
            var objects = observed[ifbs[(int)d]].AsEnumerable();
            if (d == Direction.Inbound)
            {
                objects = objects.Concat(legacyObjects);
            }

            foreach (var o in objects)
            {
                if (o is U32Filter f && ShapingTree.MacOf(f, d) is { } mac && f.FlowId is { Major: BridgeTree.RootMajor } flow && ClassIdAllocator.IsValid(flow.Minor))
                {
                    kernelClassOfMac[(int)d].TryAdd(mac, flow.Minor);
                }
                else if (o is HtbClass c && c.Handle.Major == BridgeTree.RootMajor && ClassIdAllocator.IsValid(c.Handle.Minor))
                {
                    kernelCeil[(int)d].TryAdd(c.Handle.Minor, c.Ceil);
                    kernelRate[(int)d].TryAdd(c.Handle.Minor, c.Rate);
                }
            }
        }

        // One MAC once per bridge: the claim whose class the kernel already carries (per its status) comes first, then age.
        var macOwner = new Dictionary<MacAddress, InterfaceSettings>();
        bool Incumbent(InterfaceSettings s) => s.StatusClassId is { } held && kernelClassOfMac[0].TryGetValue(s.Mac, out var k) && k == held;
        foreach (var s in members.Where(Incumbent).Concat(members.Where(m => !Incumbent(m))))
        {
            if (macOwner.TryGetValue(s.Mac, out var first))
            {
                outcomes.Add(Refused(s, ConditionReasons.DuplicateMac, $"{s.Ref}: spec.macAddress {s.Mac} is already claimed on bridge {bridge} on node {node} by {first.Ref}") with { Bridge = bridge });
                continue;
            }

            macOwner[s.Mac] = s;
        }

        var accepted = members.Where(m => macOwner.TryGetValue(m.Mac, out var owner) && ReferenceEquals(owner, m)).ToList();
        var leaf = LeafOptions(leafKind);

        // An interface whose spec.device is missing or on another bridge, or whose port cannot pass the trees
        // (an uplink, or a guest port another tool holds), gets no class: it is refused below, nothing changes for it.
        var portStates = facts.Devices.Values.Where(d => d.Master == bridge).ToDictionary(
            d => d.Name,
            d =>
            {
                var role = PortRoles.RoleOf(d, net);
                return (Role: role, Holder: role == PortRole.Guest ? PortHook.Holder(d.Name, [.. observed[d.Name]], facts.Observed.ForeignObjects) : null);
            },
            StringComparer.Ordinal);
        bool Passable(string port) => !portStates.TryGetValue(port, out var state) || (state.Role == PortRole.Guest && state.Holder is null);
        bool DeviceOk(InterfaceSettings s)
        {
            if (s.Device is not null && !(facts.Devices.TryGetValue(s.Device, out var d) && d.Master == bridge))
            {
                return false;
            }

            return (s.Device ?? facts.PortOf(bridge, s.Mac)) is not { } port || Passable(port);
        }
        var shaped = accepted.Where(DeviceOk).ToList();
        // Invalid edits of resources that were applied: the classes the kernel carries for their MAC stay.
        var edits = invalidEdits.Where(h => !macOwner.ContainsKey(h.Mac)).ToList();
        var inbound = PlanDirection(net, Direction.Inbound, accepted, shaped, edits, kernelClassOfMac[0], kernelRate[0], kernelCeil[0], ifbs[0], leaf, node);
        var outbound = PlanDirection(net, Direction.Outbound, accepted, shaped, edits, kernelClassOfMac[1], kernelRate[1], kernelCeil[1], ifbs[1], leaf, node);
        foreach (var h in edits)
        {
            var keptIn = inbound.Kept.GetValueOrDefault(h.Ref);
            if (keptIn is not null || outbound.Kept.ContainsKey(h.Ref))
            {
                outcomes.RemoveAll(o => o.Ref == h.Ref);
                outcomes.Add(h.Outcome(bridge, keptIn ?? outbound.Kept[h.Ref], null) with
                {
                    ClassId = keptIn?.ClassId,
                    OutboundClassId = outbound.Kept.GetValueOrDefault(h.Ref)?.ClassId,
                });
            }
        }
        desired.AddRange(inbound.Tree);
        desired.AddRange(outbound.Tree);


        // Ports: guests are hooked into the trees (unless something else holds their hook); uplinks are not.
        var ports = new Dictionary<string, PortOutcome>(StringComparer.Ordinal);
        foreach (var p in facts.Devices.Values.Where(d => d.Master == bridge).OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var (role, holder) = portStates[p.Name];
            var hook = role == PortRole.Guest && holder is null
                ? PortHook.Build(p.Name, inbound.Tree.Count > 0 ? inbound.Ifb : null, outbound.Tree.Count > 0 ? outbound.Ifb : null, [.. observed[p.Name]]).ToList()
                : [];
            desired.AddRange(hook);
            ports[p.Name] = new PortOutcome(p.Name, role, hook.Count > 0, holder);
        }

        // Explicit roles must name ports of this bridge.
        var portIssues = new List<string>();
        foreach (var (field, names) in new[] { ("spec.ports.uplinks", net.Uplinks), ("spec.ports.guests", net.Guests) })
        {
            foreach (var name in names ?? [])
            {
                if (!ports.ContainsKey(name))
                {
                    portIssues.Add($"BridgeNetwork {net.Name}: {field}: {name} is not a port of bridge {bridge} on node {node}");
                }
            }
        }

        var heldPorts = ports.Values.Where(p => p.Holder is not null).ToList();
        foreach (var s in accepted)
        {
            var floors = new List<string>();
            if (s.Floor is { } inFloor && inbound.Applied.ContainsKey(s.Ref) && !inbound.Refused.ContainsKey(s.Ref))
            {
                floors.Add($"floor {inFloor} admitted as class 1:{inbound.ClassOf[s.Ref]:x} on bridge {bridge}");
            }

            if (s.OutboundFloor is { } outFloor && outbound.Applied.ContainsKey(s.Ref) && !outbound.Refused.ContainsKey(s.Ref))
            {
                floors.Add($"outbound floor {outFloor} admitted as class 1:{outbound.ClassOf[s.Ref]:x} on bridge {bridge}'s outbound tree");
            }

            var refusals = new[] { inbound.Refused.GetValueOrDefault(s.Ref), outbound.Refused.GetValueOrDefault(s.Ref) }.Where(r => r is not null).Select(r => r!).ToList();
            var admitted = refusals.Count > 0
                ? new ConditionOutcome(false, refusals[0].Reason, string.Join("; ", refusals.Select(r => r.Message)))
                : s.Floor is null && s.OutboundFloor is null
                    ? new ConditionOutcome(true, ConditionReasons.NoFloor, "no floor requested; inbound traffic shares the default class")
                    : new ConditionOutcome(true, ConditionReasons.FloorAdmitted, string.Join("; ", floors));

            var hasClass = inbound.InTree.Contains(s.Ref) || outbound.InTree.Contains(s.Ref)
                || s.Floor is not null || s.OutboundFloor is not null || s.Inbound.Average is not null || s.Outbound.Average is not null;
            var device = s.Device ?? facts.PortOf(bridge, s.Mac);
            ConditionOutcome? notReady = null;
            if (s.Device is not null && !facts.Devices.TryGetValue(s.Device, out _))
            {
                notReady = new(false, ConditionReasons.DeviceNotFound, $"{s.Ref}: spec.device: device {s.Device} does not exist on node {node}");
            }
            else if (s.Device is not null && facts.Devices[s.Device].Master != bridge)
            {
                notReady = new(false, ConditionReasons.DeviceNotFound, $"{s.Ref}: spec.device: device {s.Device} is not a port of bridge {bridge} on node {node}");
            }
            else if (hasClass && device is not null && ports.TryGetValue(device, out var port))
            {
                if (port.Role == PortRole.Uplink)
                {
                    notReady = new(false, ConditionReasons.PortIsUplink, $"{s.Ref}: device {device} is an uplink port of bridge {bridge} on node {node} (veth and tap ports are guests); its traffic does not pass the class: list it in BridgeNetwork {net.Name}'s spec.ports.guests if it is a guest");
                }
                else if (port.Holder is { } holder)
                {
                    notReady = new(false, ConditionReasons.ForeignDeviceQdisc, $"{s.Ref}: guest port {device} of bridge {bridge} on node {node} cannot be hooked: it already has {holder}; it is left alone (remove it to let the classes apply)");
                }
            }
            else if (hasClass && device is null && heldPorts.Count > 0)
            {
                notReady = new(false, ConditionReasons.ForeignDeviceQdisc, $"{s.Ref}: MAC {s.Mac} is not in bridge {bridge}'s forwarding database on node {node}, and guest port {heldPorts[0].Name} cannot be hooked: it already has {heldPorts[0].Holder}; it is left alone");
            }

            outcomes.Add(new InterfaceOutcome(
                s.Ref,
                s.Network,
                bridge,
                inbound.ClassOf.TryGetValue(s.Ref, out var inId) ? inId : null,
                inbound.Applied.TryGetValue(s.Ref, out var inApplied) ? inApplied : null,
                device,
                admitted,
                notReady ?? new ConditionOutcome(true, ConditionReasons.Applied, "applied"),
                s.Generation)
            {
                OutboundClassId = outbound.ClassOf.TryGetValue(s.Ref, out var outId) ? outId : null,
                AppliedOutboundFloor = outbound.Applied.TryGetValue(s.Ref, out var outApplied) ? outApplied : null,
            });
        }

        var message = portIssues.Count > 0
            ? string.Join("; ", portIssues)
            : net.Average is null && net.OutboundAverage is null && inbound.Tree.Count == 0 && outbound.Tree.Count == 0
                ? "no inbound.average: no class tree; per-interface limits only"
                : string.Empty;
        return new BridgeOutcome(net.Name, bridge, portIssues.Count == 0, net.Average, inbound.FloorSum, accepted.Count, leafKind, message, inbound.Tree)
        {
            OutboundCapacity = net.OutboundAverage,
            OutboundFloorSum = outbound.FloorSum,
            OutboundDesired = outbound.Tree,
            Ports = [.. ports.Values],
            PortIssues = portIssues,
            Ifbs = ifbs,
        };
    }

    /// <summary>Class IDs, admission and the tree of one direction of one bridge.</summary>
    private static DirectionPlan PlanDirection(
        NetworkSettings net,
        Direction direction,
        List<InterfaceSettings> accepted,
        List<InterfaceSettings> shaped,
        List<LastApplied> edits,
        Dictionary<MacAddress, ushort> kernelClassOfMac,
        Dictionary<ushort, BitRate> kernelRate,
        Dictionary<ushort, BitRate> kernelCeil,
        string ifb,
        QdiscOptions leaf,
        string node)
    {
        var inbound = direction == Direction.Inbound;
        var capacity = inbound ? net.Average : net.OutboundAverage;
        var burst = inbound ? net.Burst : net.OutboundBurst;
        var field = inbound ? "spec.inbound" : "spec.outbound";
        BandwidthLimits Limits(InterfaceSettings s) => inbound ? s.Inbound : s.Outbound;
        ushort? StatusId(InterfaceSettings s) => inbound ? s.StatusClassId : s.StatusOutboundClassId;

        // Interfaces that want a class here; those that cannot have one now (their port cannot pass the
        // trees) keep the IDs they hold, but get no class and take no floor capacity.
        var wanting = accepted.Where(s => Limits(s).Floor is not null || Limits(s).Average is not null).ToList();
        var shapedRefs = shaped.Select(s => s.Ref).ToHashSet();
        var needs = wanting.Where(s => shapedRefs.Contains(s.Ref)).ToList();

        // Class IDs held already: status first, then the kernel's filter for the MAC.
        var allocator = new ClassIdAllocator();
        var classOf = new Dictionary<ObjectRef, ushort>();
        foreach (var s in wanting)
        {
            if (StatusId(s) is { } id && allocator.TryClaim(id))
            {
                classOf[s.Ref] = id;
            }
        }

        foreach (var s in needs)
        {
            if (!classOf.ContainsKey(s.Ref) && kernelClassOfMac.TryGetValue(s.Mac, out var id) && allocator.TryClaim(id))
            {
                classOf[s.Ref] = id;
            }
        }

        // Invalid edits keep the class the kernel carries for their MAC (its rate counts against the capacity).
        var kept = new Dictionary<ObjectRef, FloorClass>();
        foreach (var h in edits)
        {
            if (h.KeepClass(kernelClassOfMac, kernelRate, kernelCeil, allocator) is { } k)
            {
                kept[h.Ref] = k;
            }
        }

        var keptSum = kept.Values.Aggregate(BitRate.Zero, (sum, k) => sum + (k.Floor > ShapingTree.LimitOnlyRate ? k.Floor : BitRate.Zero));

        // Admission.
        var decisions = new Dictionary<ObjectRef, FloorDecision>();
        if (capacity is { } cap)
        {
            cap -= keptSum;
            var requests = needs.Where(s => Limits(s).Floor is not null).Select(s => new FloorRequest(
                s.Ref,
                Limits(s).Floor!.Value,
                classOf.TryGetValue(s.Ref, out var id) && kernelRate.TryGetValue(id, out var applied) && applied > ShapingTree.LimitOnlyRate && kernelClassOfMac.GetValueOrDefault(s.Mac) == id ? applied : null)).ToList();
            foreach (var d in FloorAdmission.Decide(requests, cap, net.Name, node, inbound ? "inbound" : "outbound"))
            {
                decisions[d.Ref] = d;
            }
        }

        var inTree = new HashSet<ObjectRef>();
        var appliedFloors = new Dictionary<ObjectRef, BitRate>();
        var refused = new Dictionary<ObjectRef, ConditionOutcome>();
        var classes = new List<FloorClass>(kept.Values);
        var floorSum = keptSum;
        foreach (var s in needs)
        {
            var limits = Limits(s);
            BitRate? granted = null;
            if (limits.Floor is { } floor)
            {
                if (capacity is null)
                {
                    refused[s.Ref] = new(false, ConditionReasons.FloorNeedsNetworkAverage, $"{s.Ref}: {field}.floor: BridgeNetwork {net.Name} has no {field}.average to carve floors from");
                }
                else
                {
                    var d = decisions[s.Ref];
                    granted = d.Granted;
                    if (!d.FullyAdmitted)
                    {
                        refused[s.Ref] = floor > capacity.Value
                            ? new(false, ConditionReasons.FloorAboveNetworkAverage, $"{s.Ref}: {field}.floor: floor {floor} is above the whole {(inbound ? "inbound" : "outbound")} average {capacity.Value} of BridgeNetwork {net.Name}; it can never be admitted (lower it, or raise the network's {field}.average)")
                            : new(false, ConditionReasons.FloorOvercommitted, d.Message);
                    }
                }
            }

            var rate = granted ?? (limits.Average is not null ? ShapingTree.LimitOnlyRate : null);
            if (rate is null)
            {
                // No class now: an ID it holds stays reserved for it.
                continue;
            }

            ushort? id = classOf.TryGetValue(s.Ref, out var held) ? held : allocator.Allocate();
            if (id is null)
            {
                refused[s.Ref] = new(false, ConditionReasons.ClassIdsExhausted, $"all class IDs {ClassIdAllocator.First}..{ClassIdAllocator.Last} on bridge {net.Bridge} on node {node} are in use");
                continue;
            }

            classOf[s.Ref] = id.Value;
            inTree.Add(s.Ref);
            if (granted is { } g)
            {
                appliedFloors[s.Ref] = g;
                floorSum += g;
            }

            classes.Add(new FloorClass(id.Value, s.Mac, rate.Value, limits.Average ?? capacity ?? ShapingTree.Unbounded, limits.Burst, limits.Peak));
        }

        var tree = capacity is not null || classes.Count > 0
            ? ShapingTree.Build(ifb, direction, capacity ?? ShapingTree.Unbounded, burst, classes, leaf)
            : [];
        return new DirectionPlan(kept, classOf, inTree, appliedFloors, refused, tree, floorSum, ifb);
    }

    /// <summary>The previous layout's tree on a bridge device (root <c>htb 1: default 2 r2q 2026</c>): owned, so it goes. Returns its objects.</summary>
    private static List<TcObject> OwnLegacyRoot(string bridge, ILookup<string, TcObject> observed, List<TcObject> owned)
    {
        var objects = observed[bridge].ToList();
        var root = objects.OfType<Qdisc>().FirstOrDefault(q => q.Parent == TcHandle.Root);
        if (root is null || !BridgeTree.IsOurRoot(root))
        {
            return [];
        }

        var ours = objects.Where(o => o.Parent() is { } p && (p == TcHandle.Root || (p != TcHandle.Ingress && p.Major != 0xFFFF))).ToList();
        owned.AddRange(ours);
        return ours;
    }

    /// <summary>Our objects on the ports of <paramref name="bridge"/>: the hook, and the previous layout's port TBF and IFB.</summary>
    private static void OwnPortObjects(string bridge, NodeFacts facts, ILookup<string, TcObject> observed, List<TcObject> owned)
    {
        foreach (var dev in facts.Devices.Values.Where(d => d.Master == bridge))
        {
            var objects = observed[dev.Name].ToList();
            owned.AddRange(objects.OfType<Qdisc>().Where(DeviceLimits.IsOurTbf));
            owned.AddRange(PortHook.Owned(dev.Name, objects, facts.Observed.ForeignObjects));
            var ifb = DeviceLimits.IfbName(dev.IfIndex);
            if (facts.Devices.ContainsKey(ifb))
            {
                owned.Add(new IfbLink(ifb));
                owned.AddRange(observed[ifb]);
            }
        }
    }

    public static QdiscOptions LeafOptions(string kind) => kind switch
    {
        "fq_codel" => new FqCodelQdiscOptions(),
        "sfq" => new SfqQdiscOptions(),
        _ => FifoQdiscOptions.Pfifo(1000),
    };

    private static InterfaceOutcome Refused(InterfaceSettings s, string reason, string message) =>
        new(s.Ref, s.Network, null, null, null, null, new(false, reason, message), new(false, reason, message), s.Generation);

    private static InterfaceOutcome Refused(ObjectRef r, string? network, string reason, string message, long generation) =>
        new(r, network, null, null, null, null, new(false, reason, message), new(false, reason, message), generation);
}
