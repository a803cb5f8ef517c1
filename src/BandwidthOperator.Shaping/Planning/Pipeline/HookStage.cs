using BandwidthOperator.Shaping.Ports;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 7b, hooks: every guest port whose hook is free (or ours) is hooked into the bridge's trees that
/// exist (<see cref="PortHook"/>); uplinks and held guests are not. Pure.
/// </summary>
internal static class HookStage
{
    public static Hooks Build(PortTable ports, DirectionPlan inbound, DirectionPlan outbound, KernelIndex kernel)
    {
        var inIfb = inbound.Tree.Count > 0 ? inbound.Ifb : null;
        var outIfb = outbound.Tree.Count > 0 ? outbound.Ifb : null;
        var objects = new List<TcObject>(ports.ByName.Count * 3);
        var outcomes = new List<PortOutcome>(ports.ByName.Count);
        var byName = new Dictionary<string, PortOutcome>(ports.ByName.Count, StringComparer.Ordinal);
        foreach (var p in ports.ByName)
        {
            var before = objects.Count;
            if (p.Role == PortRole.Guest && p.Holder is null)
            {
                objects.AddRange(PortHook.Build(p.Device.Name, inIfb, outIfb, kernel.On(p.Device.Name)));
            }

            var outcome = new PortOutcome(p.Device.Name, p.Role, objects.Count > before, p.Holder);
            outcomes.Add(outcome);
            byName[p.Device.Name] = outcome;
        }

        return new Hooks(objects, outcomes, byName);
    }
}
