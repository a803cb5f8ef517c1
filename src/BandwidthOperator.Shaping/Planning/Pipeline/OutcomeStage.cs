using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Ports;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 8, outcomes: each accepted interface's Admitted and Ready conditions, class IDs and device; the
/// invalid edits whose classes are kept; the bridge's outcome. Pure.
/// </summary>
internal static class OutcomeStage
{
    public static List<InterfaceOutcome> Interfaces(
        NetworkSettings net,
        IReadOnlyList<InterfaceSettings> accepted,
        DirectionPlan inbound,
        DirectionPlan outbound,
        Hooks hooks,
        NodeFacts facts,
        string node)
    {
        var bridge = net.Bridge;
        PortOutcome? firstHeld = null;
        foreach (var p in hooks.Ports)
        {
            if (p.Holder is not null)
            {
                firstHeld = p;
                break;
            }
        }

        var outcomes = new List<InterfaceOutcome>(accepted.Count);
        var rates = new Dictionary<BitRate, string>(); // most floors are one of a few sizes: each printed once
        for (var i = 0; i < accepted.Count; i++)
        {
            var s = accepted[i];
            var admitted = Admitted(s, i, inbound, outbound, bridge, rates);
            var hasClass = inbound.InTree[i] || outbound.InTree[i]
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
            else if (hasClass && device is not null && hooks.ByName.TryGetValue(device, out var port))
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
            else if (hasClass && device is null && firstHeld is not null)
            {
                notReady = new(false, ConditionReasons.ForeignDeviceQdisc, $"{s.Ref}: MAC {s.Mac} is not in bridge {bridge}'s forwarding database on node {node}, and guest port {firstHeld.Name} cannot be hooked: it already has {firstHeld.Holder}; it is left alone");
            }

            outcomes.Add(new InterfaceOutcome(s.Ref, s.Network, bridge, inbound.ClassIdOf(i), inbound.Applied[i], device, admitted, notReady ?? Applied, s.Generation)
            {
                OutboundClassId = outbound.ClassIdOf(i),
                AppliedOutboundFloor = outbound.Applied[i],
            });
        }

        return outcomes;
    }

    /// <summary>Invalid edits whose class the kernel keeps: Admitted=False, Ready=True (<see cref="LastApplied.Outcome"/>); they replace the edit's refusal.</summary>
    public static List<InterfaceOutcome> KeptEdits(IReadOnlyList<LastApplied> edits, DirectionPlan inbound, DirectionPlan outbound, string bridge)
    {
        var kept = new List<InterfaceOutcome>();
        foreach (var h in edits)
        {
            var keptIn = inbound.Kept.GetValueOrDefault(h.Ref);
            var keptOut = outbound.Kept.GetValueOrDefault(h.Ref);
            if (keptIn is not null || keptOut is not null)
            {
                kept.Add(h.Outcome(bridge, keptIn ?? keptOut, null) with { ClassId = keptIn?.ClassId, OutboundClassId = keptOut?.ClassId });
            }
        }

        return kept;
    }

    public static BridgeOutcome Bridge(NetworkSettings net, int interfaces, string leafKind, DirectionPlan inbound, DirectionPlan outbound, PortTable ports, Hooks hooks)
    {
        var message = ports.Issues.Count > 0
            ? string.Join("; ", ports.Issues)
            : net.Average is null && net.OutboundAverage is null && inbound.Tree.Count == 0 && outbound.Tree.Count == 0
                ? "no inbound.average: no class tree; per-interface limits only"
                : string.Empty;
        return new BridgeOutcome(net.Name, net.Bridge, ports.Issues.Count == 0, net.Average, inbound.FloorSum, interfaces, leafKind, message, inbound.Tree)
        {
            OutboundCapacity = net.OutboundAverage,
            OutboundFloorSum = outbound.FloorSum,
            OutboundDesired = outbound.Tree,
            Ports = hooks.Ports,
            PortIssues = ports.Issues,
            Ifbs = [inbound.Ifb, outbound.Ifb],
        };
    }

    private static readonly ConditionOutcome Applied = new(true, ConditionReasons.Applied, "applied");
    private static readonly ConditionOutcome NoFloor = new(true, ConditionReasons.NoFloor, "no floor requested; inbound traffic shares the default class");

    private static ConditionOutcome Admitted(InterfaceSettings s, int i, DirectionPlan inbound, DirectionPlan outbound, string bridge, Dictionary<BitRate, string> rates)
    {
        string Text(BitRate rate)
        {
            if (!rates.TryGetValue(rate, out var text))
            {
                rates[rate] = text = rate.ToString();
            }

            return text;
        }

        var inRefused = inbound.Refused[i];
        var outRefused = outbound.Refused[i];
        if (inRefused is not null || outRefused is not null)
        {
            var first = inRefused ?? outRefused!;
            var message = inRefused is not null && outRefused is not null ? inRefused.Message + "; " + outRefused.Message : first.Message;
            return new ConditionOutcome(false, first.Reason, message);
        }

        if (s.Floor is null && s.OutboundFloor is null)
        {
            return NoFloor;
        }

        string? inText = s.Floor is { } inFloor && inbound.Applied[i] is not null ? $"floor {Text(inFloor)} admitted as class 1:{inbound.ClassOf[i]:x} on bridge {bridge}" : null;
        string? outText = s.OutboundFloor is { } outFloor && outbound.Applied[i] is not null ? $"outbound floor {Text(outFloor)} admitted as class 1:{outbound.ClassOf[i]:x} on bridge {bridge}'s outbound tree" : null;
        return new ConditionOutcome(true, ConditionReasons.FloorAdmitted, inText is not null && outText is not null ? inText + "; " + outText : inText ?? outText ?? string.Empty);
    }
}
