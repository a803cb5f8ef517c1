using System.Diagnostics;
using System.Globalization;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Lab.Netns;
using BandwidthOperator.Netlink;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Benchmarks;

/// <summary>
/// The kernel view (docs/architecture.md, "The kernel view"): N floored interfaces on one bridge with 50
/// guest ports, each in a fresh namespace, the engine as the agent runs it — cached per bridge, kept
/// current by the tc monitor, plans memoised — beside the engine reading the kernel afresh every time
/// (the baseline: the agent as before, the tc monitor listening too), both in the same run; converge from empty also beside <c>tc -batch</c>
/// and one <c>tc</c> process per command on the same operations. Kernel reads are dump requests, kernel
/// writes change requests, counted on the netlink socket.
/// </summary>
internal static class KernelViewBenchmark
{
    private static readonly TimeSpan QuietDeadline = TimeSpan.FromSeconds(5);
    private const int AddsPerRun = 10;

    private sealed class Row(string name)
    {
        public string Name { get; } = name;

        public List<double> Ms { get; } = [];

        public long Reads { get; set; }

        public long Writes { get; set; }

        public void Add(double ms, long reads, long writes)
        {
            Ms.Add(ms);
            Reads = reads;
            Writes = writes;
        }
    }

    public static void Run(int interfaces, int runs, int warmups)
    {
        Console.WriteLine(Invariant($"kernel view benchmark: {interfaces} floored interfaces on one bridge with {BenchTopology.GuestPorts} guest ports, best of {runs} runs after {warmups} warm-up rounds"));
        Console.WriteLine(Invariant($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}, .NET {Environment.Version}"));
        var request = BenchTopology.Request(interfaces);
        var plusOne = request with { Interfaces = [.. request.Interfaces, BenchTopology.Interface(interfaces)] };

        var rows = new[]
        {
            new Row("converge from empty, uncached (baseline)"),
            new Row("converge from empty, kernel view"),
            new Row("no-op reconcile, uncached (baseline)"),
            new Row("no-op reconcile, kernel view"),
            new Row("add one among them, uncached (baseline)"),
            new Row("add one among them, kernel view"),
            new Row("  of which applying (rtnetlink batch)"),
            new Row("  of which reading facts (kernel view, echoes)"),
            new Row("  of which the rest: planning, verifying"),
            new Row("planning alone, once (NodePlanner.Plan)"),
            new Row("a full dump of the bridge, for scale"),
            new Row("  of which applying (rtnetlink batches)"),
            new Row("  of which reading (the kernel view, the read-back)"),
            new Row("  of which the rest: planning, verifying"),
            new Row("planning the newcomer alone (PlanAppended)"),
        };
        IReadOnlyList<TcOperation> fromEmpty = [];
        var plusOneOps = 0;
        var (plansPerAdd, verifiedPerAdd, appendedPerAdd) = (0L, 0L, new List<long>());
        var gcPerAdd = string.Empty;
        var caughtUpPerAdd = new List<long>();
        for (var run = -warmups; run < runs; run++)
        {
            if (run == 0)
            {
                foreach (var r in rows)
                {
                    r.Ms.Clear();
                }
            }

            // The baseline is the agent as before: the tc monitor listening (the kernel copies every change to
            // it), every pass reading the kernel afresh.
            using (var ns = BenchTopology.Bridge("kview"))
            using (var kernel = NetlinkNodeKernel.Open(ns.Path))
            using (TcMonitor.Start(ns.Path, _ => { }))
            {
                _ = kernel.Features; // probed once at start, outside the timings (the agent does it at start too)
                var engine = new NodeConverger(kernel);
                var result = Measure(kernel, rows[0], () => engine.Converge(request));
                Check(result.Converged, "converge from empty (uncached)");
                fromEmpty = result.Plan.Operations;
                Measure(kernel, rows[2], () => engine.Converge(request));
                Check(Measure(kernel, rows[4], () => engine.Converge(plusOne)).Converged, "add one (uncached)");
            }

            using (var ns = BenchTopology.Bridge("kview"))
            using (var kernel = NetlinkNodeKernel.Open(ns.Path))
            using (var view = new CachingNodeKernel(kernel) { Watched = true })
            using (TcMonitor.Start(ns.Path, view.Observe))
            {
                _ = kernel.Features;
                var timed = new TimedKernel(view);
                var engine = new NodeConverger(timed);
                Check(Measure(kernel, rows[1], () => engine.Converge(request)).Converged, "converge from empty (kernel view)");
                rows[11].Add(timed.ApplyMs, 0, 0);
                rows[12].Add(timed.ReadMs, 0, 0);
                rows[13].Add(rows[1].Ms[^1] - timed.ApplyMs - timed.ReadMs, 0, 0);
                Quiet(kernel, engine, request);
                var noop = Measure(kernel, rows[3], () => engine.Converge(request));
                Check(noop.Applied is null, "a no-op reconcile applied something");

                var facts = view.ReadFacts(["br0"]);
                var sw = Stopwatch.StartNew();
                var plan = NodePlanner.Plan(plusOne, facts);
                rows[9].Add(sw.Elapsed.TotalMilliseconds, 0, 0);
                plusOneOps = plan.Operations.Count;
                var settled = engine.PlanOnly(request);
                sw.Restart();
                var alone = NodePlanner.PlanAppended(settled, plusOne, facts, [request.Interfaces.Count], atEnd: true);
                rows[14].Add(sw.Elapsed.TotalMilliseconds, 0, 0);
                Check(alone is not null && alone.Operations.Count == plan.Operations.Count, "the newcomer planned alone");

                // One interface added, then another, ... (AddsPerRun times): each add is measured alone.
                var grown = request;
                var (gen0, gen2) = (GC.CollectionCount(0), GC.CollectionCount(2));
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                for (var add = 0; add < AddsPerRun; add++)
                {
                    grown = grown with { Interfaces = [.. grown.Interfaces, BenchTopology.Interface(interfaces + add)] };
                    var next = grown;
                    timed.Reset();
                    var (reads, writes) = (kernel.KernelReads, kernel.KernelWrites);
                    var (plans, verified, appended, caught) = (engine.PlansMade, engine.PassesVerified, engine.PlansAppended, engine.PlansCaughtUp);

                    // As the agent's reconcile does it: plan, write the new class IDs to the status (here: the object as
                    // the API server would return it, a new resourceVersion), then converge the request with them.
                    var added = Measure(kernel, rows[5], () =>
                    {
                        var planned = engine.PlanOnly(next);
                        var id = planned.Interfaces.First(i => i.Ref.Name == next.Interfaces[^1].Metadata.Name).ClassId;
                        var stored = BenchTopology.Interface(interfaces + add);
                        stored.Metadata.ResourceVersion += "-status";
                        stored.Status = new() { ClassId = id };
                        grown = next with { Interfaces = [.. next.Interfaces.Take(next.Interfaces.Count - 1), stored] };
                        return engine.Converge(grown);
                    });
                    Check(added.Converged, "add one (kernel view)");
                    plansPerAdd = engine.PlansMade - plans;
                    verifiedPerAdd = engine.PassesVerified - verified;
                    appendedPerAdd.Add(engine.PlansAppended - appended);
                    caughtUpPerAdd.Add(engine.PlansCaughtUp - caught);
                    rows[6].Add(timed.ApplyMs, 0, kernel.KernelWrites - writes);
                    rows[7].Add(timed.ReadMs, kernel.KernelReads - reads, 0);
                    rows[8].Add(rows[5].Ms[^1] - timed.ApplyMs - timed.ReadMs, 0, 0);
                }

                gcPerAdd = Invariant($"{(GC.GetAllocatedBytesForCurrentThread() - allocated) / AddsPerRun / 1024} KiB allocated per add; {GC.CollectionCount(0) - gen0} gen0 and {GC.CollectionCount(2) - gen2} gen2 collections in {AddsPerRun} adds");

                var before = kernel.KernelReads;
                sw.Restart();
                kernel.ReadTc(BridgeDevices.Of("br0", kernel.ReadDevices()).Keys.ToList());
                rows[10].Add(sw.Elapsed.TotalMilliseconds, kernel.KernelReads - before, 0);
            }
        }

        var perProcess = new List<double>();
        var batch = new List<double>();
        var classesAlone = new List<double>();
        var halfClasses = new List<double>();

        // The kernel's own floor: the HTB class adds alone (with the IFBs, root qdiscs and root classes they hang
        // from), all of them and half of them. Adding a class walks every class the qdisc already has (the
        // kernel's reverse binding of filters, tc_bind_tclass), so the cost grows with the square of the count.
        IReadOnlyList<TcOperation> ClassesOnly(int keep)
        {
            var kept = 0;
            return [.. fromEmpty.Where(op => op.Target is IfbLink || (op.Target is Qdisc q && q.Parent == TcHandle.Root)
                || (op.Target is HtbClass c && (c.Handle.Minor <= 2 || c.Handle.Minor == ShapingTree.SmallPacketClass || kept++ < keep)))];
        }

        var classCount = fromEmpty.Count(op => op.Target is HtbClass c && c.Handle.Minor > 2 && c.Handle.Minor != ShapingTree.SmallPacketClass);
        for (var run = 0; run < Math.Min(runs, 3); run++)
        {
            if (run < 2)
            {
                perProcess.Add(BenchTopology.OneTcPerCommand(fromEmpty, "kview"));
            }

            batch.Add(BenchTopology.TcBatch(fromEmpty, "kview"));
            classesAlone.Add(BenchTopology.TcBatch(ClassesOnly(classCount), "kview"));
            halfClasses.Add(BenchTopology.TcBatch(ClassesOnly(classCount / 2), "kview"));
        }

        Console.WriteLine();
        Console.WriteLine(Invariant($"{"measurement",-52} {"best",10} {"median",10} {"reads",7} {"writes",7}  notes"));
        Print(rows[0], $"{fromEmpty.Count} operations");
        Print(rows[1], "target ≤ 250 ms");
        Print(rows[11], "the change requests, NLM_F_ECHO");
        Print(rows[12], "kernel view reads, read-back");
        Print(rows[13], "plan, verification of the read-back");
        Print("converge from empty, tc -batch", batch, $"{fromEmpty.Count(o => o.Target is not IfbLink)} commands in one process");
        Print("converge from empty, one tc per command", perProcess, $"{fromEmpty.Count} processes");
        Print(Invariant($"  tc -batch, the {classCount} interface class adds alone"), classesAlone, "the kernel's floor for this tree");
        Print(Invariant($"  tc -batch, {classCount / 2} interface class adds alone"), halfClasses, "half the classes: far less than half the time (each add walks every class)");
        Print(rows[2], "reads the kernel and plans every time");
        Print(rows[3], "target 0 reads, 0 writes, ≤ 2 ms");
        Print(rows[4], $"{plusOneOps} operations");
        Print(rows[5], $"target ≤ 4 writes, ≤ 5 ms; as the agent does it: plan, class ID to the status, converge; {AddsPerRun} adds one after another per run; {gcPerAdd}");
        Print(rows[6], "the change requests in one write");
        Print(rows[7], "the view read twice (before; after, patched with the kernel's echoes): no kernel read");
        Print(rows[8], (verifiedPerAdd > 0
            ? $"{plansPerAdd} plan; the read-back was verified object by object"
            : $"{plansPerAdd} plans (plan, read-back's full plan)") + $"; the newcomer planned alone in {appendedPerAdd.Count(a => a > 0)} of {appendedPerAdd.Count} adds (NodePlanner.PlanAppended), the plan standing after the status write in {caughtUpPerAdd.Count(a => a > 0)} (PlanStatusCaughtUp)");
        Print(rows[9], "the whole pipeline on the cached facts, request with one more (what adding one cost before)");
        Print(rows[14], "on the same facts, the settled plan of the 2,000 (what adding one costs now)");
        Print(rows[10], "what the read-back cost before the kernel view");
    }

    private static ConvergeResult Measure(NetlinkNodeKernel kernel, Row row, Func<ConvergeResult> pass)
    {
        var (reads, writes) = (kernel.KernelReads, kernel.KernelWrites);
        var sw = Stopwatch.StartNew();
        var result = pass();
        row.Add(sw.Elapsed.TotalMilliseconds, kernel.KernelReads - reads, kernel.KernelWrites - writes);
        return result;
    }

    /// <summary>
    /// Waits (untimed) until the notifications the kernel sends by itself after a converge (an IFB's carrier
    /// coming up) are in: until a reconcile with nothing to change asks the kernel nothing.
    /// </summary>
    private static void Quiet(NetlinkNodeKernel kernel, NodeConverger engine, NodeRequest request)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < QuietDeadline)
        {
            var reads = kernel.KernelReads;
            engine.Converge(request);
            if (kernel.KernelReads == reads)
            {
                return;
            }

            Thread.Sleep(100);
        }
    }

    private static void Print(Row row, string note) => Print(row.Name, row.Ms, row.Reads.ToString(CultureInfo.InvariantCulture), row.Writes.ToString(CultureInfo.InvariantCulture), note);

    /// <summary>A row measured outside the engine (an iproute2 process): no socket counters.</summary>
    private static void Print(string name, List<double> ms, string note) => Print(name, ms, "-", "-", note);

    private static void Print(string name, List<double> ms, string reads, string writes, string note)
    {
        var best = ms.Count == 0 ? double.NaN : ms.Min();
        var median = ms.Count == 0 ? double.NaN : ms.Order().ElementAt(ms.Count / 2);
        Console.WriteLine(Invariant($"{name,-52} {best,8:0.00}ms {median,8:0.00}ms {reads,7} {writes,7}  {note}"));
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{what}: the kernel did not converge");
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
