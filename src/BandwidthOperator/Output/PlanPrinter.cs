using System.Globalization;
using BandwidthOperator.Shaping.Planning;
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

            var owners = interfaces.Where(i => i.Bridge == b.Bridge && i.ClassId is not null).ToDictionary(i => i.ClassId!.Value);
            foreach (var cls in b.Desired.OfType<HtbClass>())
            {
                var who = cls.Handle.Minor switch
                {
                    BridgeTree.RootClass => "network capacity",
                    BridgeTree.DefaultClass => "unfloored traffic",
                    var id when owners.TryGetValue(id, out var o) => $"{o.Ref.Key} floor",
                    _ => string.Empty,
                };
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  class {cls.Handle,-7} rate {cls.Rate,-7} ceil {cls.Ceil,-7} {who}"));
            }
        }

        if (interfaces.Count > 0)
        {
            w.WriteLine("interfaces:");
        }

        foreach (var i in interfaces)
        {
            var cls = i.ClassId is { } id ? $"class 1:{id:x}" : "no class";
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
