using System.Globalization;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Ports;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Output;

/// <summary>Prints a node plan for a person: per bridge the class tree, per interface its result, then the tc commands.</summary>
internal static class PlanPrinter
{
    public static void PrintTrees(TextWriter w, NodePlan plan, IReadOnlyList<InterfaceOutcome> interfaces, IReadOnlyList<BridgeOutcome> bridges)
    {
        foreach (var b in bridges)
        {
            var cap = b.Capacity is { } c ? c.ToString() : "none";
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bridge {b.Bridge} (BridgeNetwork {b.Network}): capacity {cap}, floors {b.FloorSum} admitted, {b.Interfaces} interface(s), leaf qdisc {b.LeafQdisc}{(b.Ready ? string.Empty : " — NOT READY")}"));
            if (b.Message.Length > 0)
            {
                w.WriteLine($"  {b.Message}");
            }

            PrintTree(w, "inbound", b.Desired, interfaces.Where(i => i.Bridge == b.Bridge && i.ClassId is not null).ToDictionary(i => i.ClassId!.Value));
            if (b.OutboundDesired.Count > 0)
            {
                var outCap = b.OutboundCapacity is { } oc ? oc.ToString() : "none";
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  outbound: capacity {outCap}, floors {b.OutboundFloorSum} admitted"));
                PrintTree(w, "outbound", b.OutboundDesired, interfaces.Where(i => i.Bridge == b.Bridge && i.OutboundClassId is not null).ToDictionary(i => i.OutboundClassId!.Value));
            }

            if (b.Ports.Count > 0)
            {
                w.WriteLine("  ports: " + string.Join(", ", b.Ports.Select(p => $"{p.Name} {PortRoles.Name(p.Role)}{(p.Hooked ? " (hooked)" : p.Holder is { } h ? $" (NOT hooked: {h})" : string.Empty)}")));
            }
        }

        if (interfaces.Count > 0)
        {
            w.WriteLine("interfaces:");
        }

        foreach (var i in interfaces)
        {
            var cls = i.ClassId is { } id ? $"class 1:{id:x}" : "no class";
            if (i.OutboundClassId is { } oid)
            {
                cls += $" out 1:{oid:x}";
            }

            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i.Ref.Key,-28} {cls,-12} Admitted={(i.Admitted.Status ? "True" : "False")} ({i.Admitted.Reason}) Ready={(i.Ready.Status ? "True" : "False")} ({i.Ready.Reason})"));
            if (!i.Admitted.Status)
            {
                w.WriteLine($"      {i.Admitted.Message}");
            }

            if (!i.Ready.Status && i.Ready.Message != i.Admitted.Message)
            {
                w.WriteLine($"      {i.Ready.Message}");
            }
        }

        foreach (var issue in plan.NetworkIssues)
        {
            w.WriteLine($"network: {issue}");
        }
    }

    private static void PrintTree(TextWriter w, string direction, IReadOnlyList<TcObject> tree, Dictionary<ushort, InterfaceOutcome> owners)
    {
        foreach (var cls in tree.OfType<HtbClass>())
        {
            var who = cls.Handle.Minor switch
            {
                BridgeTree.RootClass => direction == "inbound" ? "network capacity" : "network outbound capacity",
                BridgeTree.DefaultClass => "unfloored traffic",
                ShapingTree.SmallPacketClass => "small packets (ACKs)",
                var id when owners.TryGetValue(id, out var o) => $"{o.Ref.Key} {(cls.Rate > ShapingTree.LimitOnlyRate ? "floor" : "limit")}",
                _ => string.Empty,
            };
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(direction == "inbound" ? string.Empty : "out ")}class {cls.Handle,-7} rate {cls.Rate,-7} ceil {cls.Ceil,-7} {who}"));
        }
    }

    public static void PrintOperations(TextWriter w, IReadOnlyList<TcOperation> operations)
    {
        if (operations.Count == 0)
        {
            w.WriteLine("operations: none — the kernel already matches");
            return;
        }

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"operations ({operations.Count}):"));
        foreach (var op in operations)
        {
            w.WriteLine($"  {TcCommand.Render(op)}");
        }
    }
}
