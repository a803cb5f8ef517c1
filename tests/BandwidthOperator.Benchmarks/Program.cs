using System.Diagnostics;
using System.Globalization;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Benchmarks;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Lab.Netns;

// Benchmark (figures, not pass/fail): N floored interfaces on one bridge in a fresh network namespace.
//   dotnet run -c Release --project tests/BandwidthOperator.Benchmarks -- [--interfaces 2000] [--runs 5]
// Prints, beside the same work done libvirt-style (one `tc` process per command) and with `tc -batch`:
//   converge from empty, reconcile with nothing to change (and its kernel writes), add one interface.
// --agent: the real agent as a child process against the API-server double (AgentProcessBenchmark).
// --plan-loop: the planner alone, again and again on one kernel reading (for dotnet-trace).
// --goodput: goodput through a shaped path.
// --kernel-view: the engine with the cached kernel view beside the engine reading afresh (KernelViewBenchmark).
// --planner: the planner alone: from empty, nothing to change, one added (PlannerBenchmark).
// --resync: a full resync of 20 bridges × 100 interfaces, per bridge beside whole-node passes (ResyncBenchmark).
if (args.Contains("--resync"))
{
    await BandwidthOperator.Benchmarks.ResyncBenchmark.RunAsync(Arg("--bridges", 20), Arg("--per-bridge", 100), Arg("--runs", 5));
    return 0;
}

if (args.Contains("--agent"))
{
    await AgentRuns();
    return 0;
}

if (args.Contains("--kernel-view"))
{
    KernelViewBenchmark.Run(Arg("--interfaces", 2000), Arg("--runs", 3), Arg("--warmup", 1));
    return 0;
}

if (args.Contains("--plan-loop"))
{
    // The planner alone, over and over on one kernel reading (for a profiler: dotnet-trace collect -- …).
    using var ns = Bridge();
    var planRequest = Request(Arg("--interfaces", 2000));
    using (var k = NetlinkNodeKernel.Open(ns.Path))
    {
        Check(new NodeConverger(k).Converge(planRequest).Converged, "converge before the plan loop");
        var planFacts = k.ReadFacts(["br0"]);
        var times = new List<double>();
        for (var i = 0; i < Arg("--runs", 50); i++)
        {
            var sw = Stopwatch.StartNew();
            var p = NodePlanner.Plan(planRequest, planFacts);
            times.Add(sw.Elapsed.TotalMilliseconds);
            Check(p.IsEmpty, "a no-op plan");
        }

        Row("plan, nothing to change", times, "pure");
    }

    return 0;
}

if (args.Contains("--planner"))
{
    PlannerBenchmark.Run(Arg("--interfaces", 2000), Arg("--runs", 20));
    return 0;
}

if (args.Contains("--goodput"))
{
    await Goodput(Arg("--seconds", 5));
    return 0;
}

var interfaces = Arg("--interfaces", 2000);
var runs = Arg("--runs", 5);
var warmups = Arg("--warmup", 2);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BandwidthOperator benchmark: {interfaces} floored interfaces on one bridge, best of {runs} runs after {warmups} warm-up rounds"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}"));

var request = Request(interfaces);
var requestPlusOne = Request(interfaces + 1);

var converge = new List<double>();
var noop = new List<double>();
var noopWrites = new List<long>();
var readFacts = new List<double>();
var planOnly = new List<double>();
var addOne = new List<double>();
var addOneWrites = new List<long>();
var convergeWrites = 0L;
var operations = 0;
IReadOnlyList<TcOperation> fromEmpty = [];
IReadOnlyList<TcOperation> plusOneOps = [];
for (var run = -warmups; run < runs; run++)
{
    if (run == 0)
    {
        // Warm-up rounds (the agent is a long-running process: its code is jitted and tiered by then).
        foreach (var list in new[] { converge, noop, addOne, readFacts, planOnly })
        {
            list.Clear();
        }

        noopWrites.Clear();
        addOneWrites.Clear();
    }

    using var ns = Bridge();
    using var kernel = NetlinkNodeKernel.Open(ns.Path);
    var engine = new NodeConverger(kernel);
    _ = kernel.Features; // probe once, outside the timings (the agent does it at start)

    var sw = Stopwatch.StartNew();
    var r = engine.Converge(request);
    converge.Add(sw.Elapsed.TotalMilliseconds);
    Check(r.Converged, "converge from empty");
    convergeWrites = r.Applied!.KernelWrites;
    operations = r.Plan.Operations.Count;
    fromEmpty = r.Plan.Operations;

    sw.Restart();
    r = engine.Converge(request);
    noop.Add(sw.Elapsed.TotalMilliseconds);

    // Where a reconcile with nothing to change spends its time.
    sw.Restart();
    var facts = kernel.ReadFacts(["br0"]);
    readFacts.Add(sw.Elapsed.TotalMilliseconds);
    sw.Restart();
    NodePlanner.Plan(request, facts);
    planOnly.Add(sw.Elapsed.TotalMilliseconds);
    noopWrites.Add(r.Applied?.KernelWrites ?? 0);

    sw.Restart();
    r = engine.Converge(requestPlusOne);
    addOne.Add(sw.Elapsed.TotalMilliseconds);
    Check(r.Converged, "add one");
    addOneWrites.Add(r.Applied?.KernelWrites ?? 0);
    plusOneOps = r.Plan.Operations;
}

// Baselines on the same operations, rendered as tc command lines.
var perProcess = new List<double>();
var batch = new List<double>();
var baselineRuns = Math.Min(runs, 2);
for (var run = 0; run < baselineRuns; run++)
{
    perProcess.Add(BenchTopology.OneTcPerCommand(fromEmpty, "bench"));
    batch.Add(BenchTopology.TcBatch(fromEmpty, "bench"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"measurement",-52} {"best",10} {"median",10}  notes"));
Row("converge from empty (rtnetlink, this engine)", converge, $"{operations} operations in {convergeWrites} kernel writes; target ≤ 250 ms");
Row("converge from empty, libvirt-style (1 tc process/cmd)", perProcess, $"{fromEmpty.Count} tc processes; {Min(perProcess) / interfaces:0.00} ms/interface");
Row("converge from empty, tc -batch", batch, $"{Min(batch) / interfaces:0.000} ms/interface");
Row("reconcile, nothing to change", noop, $"kernel writes: {string.Join(",", noopWrites)} (must be 0); target ≤ 30 ms");
Row("  of which: read the kernel (links, FDB, tc dump)", readFacts, "rtnetlink dumps + decoding");
Row("  of which: plan (validate, admit, allocate, diff)", planOnly, "pure");
Row("add one interface among them", addOne, $"{plusOneOps.Count} operations, kernel writes: {string.Join(",", addOneWrites)}; target ≤ 5 ms");
return 0;

static void Row(string name, List<double> ms, string note) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-52} {Min(ms),8:0.0}ms {Median(ms),8:0.0}ms  {note}"));

static double Min(List<double> xs) => xs.Count == 0 ? double.NaN : xs.Min();

static double Median(List<double> xs) => xs.Count == 0 ? double.NaN : xs.Order().ElementAt(xs.Count / 2);

static void Check(bool ok, string what)
{
    if (!ok)
    {
        throw new InvalidOperationException($"{what}: the kernel did not converge");
    }
}

static NetworkNamespace Bridge() => BenchTopology.Bridge("bench");

// The most goodput 1 and 8 TCP flows get from the external host (on an uplink port, L2) to one guest,
// with the bridge unshaped and then shaped (network inbound.average 100G, the guest a 1G floor): what
// the IFB and the class tree cost on this machine.
static async Task Goodput(int seconds)
{
    using var topology = BandwidthOperator.Lab.Topology.BridgeTopology.CreateL2(1, "gp");
    var guest = topology.Guests[0];
    var warmup = TimeSpan.FromSeconds(2);
    var duration = TimeSpan.FromSeconds(seconds);
    Console.WriteLine("most goodput external → guest over the L2 uplink (median of per-second samples):");
    foreach (var shaped in new[] { false, true })
    {
        if (shaped)
        {
            using var kernel = NetlinkNodeKernel.Open(topology.Host.Path);
            var network = new BridgeNetwork
            {
                Metadata = new() { Name = "bench-net", Generation = 1 },
                Spec = new() { Bridge = "br0", Inbound = new() { Average = "100G" }, Outbound = new() { Average = "100G" }, Ports = new() { Uplinks = ["vup"] } },
            };
            var ibw = new InterfaceBandwidth
            {
                Metadata = new() { Name = "vm", NamespaceProperty = "bench", Generation = 1 },
                Spec = new() { Network = "bench-net", NodeName = "bench-node", MacAddress = guest.Mac.ToString(), Inbound = new() { Floor = "1G" }, Outbound = new() { Floor = "1G" } },
            };
            Check(new NodeConverger(kernel).Converge(new NodeRequest("bench-node", [network], [ibw])).Converged, "shaping the goodput topology");
        }

        foreach (var flows in new[] { 1, 8 })
        {
            var r = await BandwidthOperator.Lab.Traffic.TrafficRun.RunAsync(topology.External, [BandwidthOperator.Lab.Traffic.FlowGroup.IPv4(guest, flows)], warmup, duration);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(shaped ? "shaped  " : "unshaped")} {flows} flow(s): {r[0].MedianGoodput.BitsPerSecond / 1e9:0.00} Gbit/s (mean {r[0].BitsPerSecond / 1e9:0.00})"));
        }
    }
}

// The real agent as a child process against the API-server double (AgentProcessBenchmark): memory with
// 10 and N interfaces per runtime-settings variant (baseline first, same run), idle CPU, and the time
// until N new interfaces are Ready with a per-request latency.
async Task AgentRuns()
{
    var counts = new[] { 10, Arg("--interfaces", 5000) };
    var idle = TimeSpan.FromSeconds(Arg("--idle-seconds", 60));
    // Every run waits this long after Ready, nothing changing, before memory is read again ("settled"):
    // the agent gives memory back once idle after a burst (docs/architecture.md, "Memory").
    var settle = TimeSpan.FromSeconds(Arg("--settle-seconds", 20));
    var latencyCount = Arg("--latency-interfaces", 2000);
    var latency = TimeSpan.FromMilliseconds(Arg("--latency-ms", 10));
    var only = Array.IndexOf(args, "--variants") is var vi and >= 0 ? args[vi + 1].Split(';') : null;
    // --breakdown: where the resident memory is at the end of each run (/proc/PID/smaps), by mapping.
    var breakdown = args.Contains("--breakdown");
    Console.WriteLine("publishing the agent as the Dockerfile does: " + AgentProcessBenchmark.PublishDir);
    AgentProcessBenchmark.PublishAgent();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agent process benchmark: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"variant",-28} {"interfaces",10} {"ready",9} {"RSS ready",10} {"settled",10} {"VmHWM",10} {"idle CPU",10} {"requests",9}"));
    var variants = AgentVariants().Where(v => only is null || only.Contains(v.Name)).ToList();
    // --compare-with DIR[;DIR…]: other builds of the agent (e.g. main's publish folder), measured first with their default settings.
    var others = Array.IndexOf(args, "--compare-with") is var ci and >= 0
        ? args[ci + 1].Split(';').Select(d => new AgentProcessBenchmark.Variant(
            "build " + Path.GetFileName(Path.TrimEndingDirectorySeparator(d)), new Dictionary<string, string>(), Path.Combine(d, "bandwidth-operator.dll"))).ToList()
        : [];
    variants.InsertRange(0, others);

    foreach (var variant in variants)
    {
        foreach (var count in counts)
        {
            // Idle CPU once per variant, at the larger count (nothing changes; only the watches' bookmarks and the resync).
            var r = await AgentProcessBenchmark.RunAsync(variant, count, TimeSpan.Zero, count == counts[^1] && (others.Contains(variant) || variant.Name == "baseline") ? idle : settle, breakdown);
            Print(r);
            foreach (var (mapping, kib) in r.Breakdown.Take(12))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {mapping,-50} {kib / 1024.0,7:0.0}MiB"));
            }
        }
    }

    if (latencyCount > 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{latencyCount} new InterfaceBandwidths, {latency.TotalMilliseconds} ms per API request (double's fault injection):"));
        foreach (var variant in variants.Where(v => others.Contains(v) || v.Name == "baseline"))
        {
            Print(await AgentProcessBenchmark.RunAsync(variant, latencyCount, latency, TimeSpan.Zero));
        }
    }

    static void Print(AgentProcessBenchmark.Result r) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Variant,-28} {r.Interfaces,10} {r.ReadySeconds,8:0.0}s {r.ReadyRssKiB / 1024.0,7:0.0}MiB {r.RssKiB / 1024.0,7:0.0}MiB {r.HwmKiB / 1024.0,7:0.0}MiB {(double.IsNaN(r.IdleCpuPercent) ? "-" : $"{r.IdleCpuPercent:0.00}%"),10} {r.ApiRequests,9}"));
}

// Runtime settings measured against the agent as shipped (environment variables, so one build serves all).
static IEnumerable<AgentProcessBenchmark.Variant> AgentVariants()
{
    yield return new("baseline", new Dictionary<string, string>()); // this build, default settings
    yield return new("Memory__Trim=false", new Dictionary<string, string> { ["Memory__Trim"] = "false" }); // no trim after bursts
    yield return new("TieredCompilation=1", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1" }); // tiered, over the ReadyToRun code
    yield return new("TC=1,W^X=0", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" });
    yield return new("trim logged", new Dictionary<string, string> { ["Logging__LogLevel__BandwidthOperator.Agent.Memory"] = "Debug" });
    yield return new("MALLOC_ARENA_MAX=2", new Dictionary<string, string> { ["MALLOC_ARENA_MAX"] = "2" });
    yield return new("gcConcurrent=0", new Dictionary<string, string> { ["DOTNET_gcConcurrent"] = "0" });
    yield return new("GCgen0size=2MiB", new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "200000" });
    yield return new("GCConserveMemory=7", new Dictionary<string, string> { ["DOTNET_GCConserveMemory"] = "7" });
    yield return new("TieredPGO=0", new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" });
    yield return new("TieredCompilation=0", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" });
    yield return new("W^X=0", new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" });
    yield return new("W^X=0,TC=0", new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0", ["DOTNET_TieredCompilation"] = "0" });
    yield return new("W^X=0,TC=0,Conserve=7", new Dictionary<string, string>
    {
        ["DOTNET_EnableWriteXorExecute"] = "0",
        ["DOTNET_TieredCompilation"] = "0",
        ["DOTNET_GCConserveMemory"] = "7",
    });
    yield return new("GCHeapHardLimit=96MiB", new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "6000000" });
    yield return new("TC=0,Conserve=7", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0", ["DOTNET_GCConserveMemory"] = "7" });
    yield return new("TC=0,Conserve=7,gcConcurrent=0", new Dictionary<string, string>
    {
        ["DOTNET_TieredCompilation"] = "0",
        ["DOTNET_GCConserveMemory"] = "7",
        ["DOTNET_gcConcurrent"] = "0",
    });
    // GC regions: smaller regions (default 4 MiB) and a smaller cap on the gen0 budget (hexadecimal values).
    yield return new("GCRegionSize=1MiB", new Dictionary<string, string> { ["DOTNET_GCRegionSize"] = "100000" });
    yield return new("GCgen0MaxBudget=4MiB", new Dictionary<string, string> { ["DOTNET_GCgen0MaxBudget"] = "400000" });
    yield return new("Region=1MiB,gen0Max=4MiB", new Dictionary<string, string> { ["DOTNET_GCRegionSize"] = "100000", ["DOTNET_GCgen0MaxBudget"] = "400000" });
    yield return new("gcConcurrent=0,gen0=2MiB,PGO=0", new Dictionary<string, string>
    {
        ["DOTNET_gcConcurrent"] = "0",
        ["DOTNET_GCgen0size"] = "200000",
        ["DOTNET_TieredPGO"] = "0",
    });
}

static NodeRequest Request(int count) => BenchTopology.Request(count);

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
