using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stages 3–8 for one network's bridge, in order: the kernel's claims, MAC claims, ports, then per direction
/// class IDs held → admission → classes and tree, then hooks and outcomes; and what of the bridge is ours
/// (<see cref="KernelOwnership"/>). Each stage takes the previous ones' results and returns its own.
/// </summary>
internal static class BridgeStage
{
    public static BridgePlan Plan(NetworkSettings net, IReadOnlyList<InterfaceSettings> members, IReadOnlyList<LastApplied> invalidEdits, KernelIndex kernel, string node)
    {
        var facts = kernel.Facts;
        var bridge = net.Bridge;
        var leafKind = facts.LeafQdiscKind;
        if (!facts.Devices.TryGetValue(bridge, out var bridgeDev))
        {
            var msg = $"bridge {bridge} of BridgeNetwork {net.Name} does not exist on node {node}";
            var refused = new List<InterfaceOutcome>(members.Count);
            foreach (var s in members)
            {
                refused.Add(MemberStage.Refusal(s, ConditionReasons.BridgeMissing, msg) with { Bridge = bridge });
            }

            return new BridgePlan(new BridgeOutcome(net.Name, bridge, false, net.Average, BitRate.Zero, members.Count, leafKind, msg, []), refused, [], [], []);
        }

        var ifbs = KernelOwnership.TreeIfbs(bridgeDev.IfIndex);
        var claims = KernelClaimStage.Read(bridge, ifbs, kernel);
        var macs = MacClaimStage.Resolve(members, claims.Inbound, bridge, node);
        var ports = PortStage.Resolve(net, kernel, node);

        // An interface whose spec.device is missing or on another bridge, or whose port cannot pass the trees
        // (an uplink, or a guest port another tool holds), gets no class: it keeps the IDs it holds, takes no floor capacity.
        var accepted = macs.Accepted;
        var shaped = new bool[accepted.Count];
        for (var i = 0; i < shaped.Length; i++)
        {
            shaped[i] = ports.CanShape(accepted[i], facts);
        }

        // Invalid edits of resources that were applied: the classes the kernel carries for their MAC stay.
        var edits = invalidEdits.Where(h => !macs.Owner.ContainsKey(h.Mac)).ToList();
        var leaf = NodePlanner.LeafOptions(leafKind);
        var inbound = Direction(new DirectionSpec(Trees.Direction.Inbound, net), accepted, shaped, edits, claims.Inbound, ifbs.Inbound, leaf, node);
        var outbound = Direction(new DirectionSpec(Trees.Direction.Outbound, net), accepted, shaped, edits, claims.Outbound, ifbs.Outbound, leaf, node);
        var hooks = HookStage.Build(ports, inbound, outbound, kernel);

        var interfaces = OutcomeStage.Interfaces(net, accepted, inbound, outbound, hooks, facts, node);
        if (macs.Refused.Count > 0)
        {
            interfaces.AddRange(macs.Refused);
        }

        var desired = new List<TcObject>(inbound.Tree.Count + outbound.Tree.Count + hooks.Objects.Count);
        desired.AddRange(inbound.Tree);
        desired.AddRange(outbound.Tree);
        desired.AddRange(hooks.Objects);
        return new BridgePlan(
            OutcomeStage.Bridge(net, accepted.Count, leafKind, inbound, outbound, ports, hooks),
            interfaces,
            OutcomeStage.KeptEdits(edits, inbound, outbound, bridge),
            desired,
            OwnedStage.OfBridge(bridge, ifbs, claims.LegacyRoot, kernel))
        {
            Context = new BridgeContext(
                net, accepted.Count, accepted.Count > 0 ? accepted[^1] : null, new HashSet<Api.Quantities.MacAddress>(macs.Owner.Keys), macs.Refused.Count, edits.Count, ports, hooks,
                claims.Inbound.ClassOfMac, claims.Outbound.ClassOfMac, leafKind, leaf, DirectionState.Of(inbound), DirectionState.Of(outbound)),
        };
    }

    private static DirectionPlan Direction(DirectionSpec spec, IReadOnlyList<InterfaceSettings> accepted, bool[] shaped, IReadOnlyList<LastApplied> edits, DirectionClaims claims, string ifb, QdiscOptions leaf, string node)
    {
        var held = ClassIdStage.Hold(spec, accepted, shaped, edits, claims);
        var admission = AdmissionStage.Decide(spec, accepted, shaped, held, claims, node);
        return ClassStage.Build(spec, accepted, shaped, held, admission, ifb, leaf, node);
    }
}
