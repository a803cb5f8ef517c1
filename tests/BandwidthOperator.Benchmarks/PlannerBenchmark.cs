using System.Diagnostics;
using System.Globalization;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Lab.Netns;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Benchmarks;

/// <summary>
/// <c>--planner</c>: the planner alone (docs/architecture.md, "The planner pipeline") on real kernel readings
/// of a bridge with 50 guest ports: N floored interfaces planned from empty, again with nothing to change,
/// and with one interface added among them — each with the bytes it allocates per plan — beside the
/// kernel read (links, FDB, dump) measured in the same run, which a reconcile pays when it does not keep the
/// kernel's view. Figures, not pass/fail.
/// </summary>
internal static class PlannerBenchmark
{
    public static void Run(int interfaces, int runs)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"planner benchmark: {interfaces} floored interfaces on one bridge with 50 guest ports, {runs} runs; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        var request = BenchTopology.Request(interfaces);
        var plusOne = BenchTopology.Request(interfaces + 1);
        using var ns = BenchTopology.Bridge("planb");
        using var kernel = NetlinkNodeKernel.Open(ns.Path);
        var empty = kernel.ReadFacts(["br0"]);
        if (!new NodeConverger(kernel).Converge(request).Converged)
        {
            throw new InvalidOperationException("the kernel did not converge");
        }

        var read = new List<double>();
        NodeFacts facts = empty;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            facts = kernel.ReadFacts(["br0"]);
            read.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"measurement",-44} {"best",9} {"median",9} {"allocated/plan",15}  operations"));
        Row("reference: read the kernel (links, FDB, dump)", read, double.NaN, facts.Observed.Objects.Count + " objects read");
        Time("plan from empty", request, empty, runs);
        Time("plan, nothing to change", request, facts, runs);
        Time("plan, one interface added among them", plusOne, facts, runs);
    }

    private static void Time(string name, NodeRequest request, NodeFacts facts, int runs)
    {
        var times = new List<double>();
        var bytes = new List<double>();
        NodePlan? plan = null;
        for (var i = 0; i < runs; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            plan = NodePlanner.Plan(request, facts);
            times.Add(sw.Elapsed.TotalMilliseconds);
            bytes.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Row(name, times, bytes.Min(), plan!.Operations.Count.ToString(CultureInfo.InvariantCulture));
    }

    private static void Row(string name, List<double> ms, double bytes, string note) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-44} {ms.Min(),7:0.00}ms {ms.Order().ElementAt(ms.Count / 2),7:0.00}ms {(double.IsNaN(bytes) ? "" : (bytes / 1024 / 1024).ToString("0.00", CultureInfo.InvariantCulture) + " MiB"),15}  {note}"));
}
