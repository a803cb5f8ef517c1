using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Hosting;
using BandwidthOperator.Agent.Queue;
using BandwidthOperator.Agent.Reconcile;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Netns;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Benchmarks;

/// <summary>
/// A full resync of an agent shaping many bridges (<c>--resync</c>): B bridges in a fresh network
/// namespace, each with N floored InterfaceBandwidths and a few guest ports, the agent in-process
/// (<see cref="AgentHost"/>, real rtnetlink kernel, real KubernetesClient against the API-server double).
/// Once everything is Ready and the agent idle, a resync enqueues every key; measured: the passes run,
/// the bridges they planned, the kernel reads, and the time until the last pass. Beside it, in the same
/// run and on the same kernel, the baseline: every key planned the whole node (<c>Agent:WholeNodeReconcile</c>).
/// </summary>
internal static class ResyncBenchmark
{
    private const string Node = "bench-node";
    private const int GuestPortsPerBridge = 5;

    public sealed record Result(string Mode, int Passes, int BridgesPlanned, int KernelReads, int BridgesRead, List<double> Milliseconds);

    public static async Task RunAsync(int bridges, int perBridge, int runs)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resync benchmark: {bridges} bridges × {perBridge} floored interfaces ({GuestPortsPerBridge} guest ports each), best/median of {runs} resyncs; machine: {Environment.ProcessorCount} cores"));
        using var ns = NetworkNamespace.Create("rsync");
        var commands = new List<string>();
        for (var b = 0; b < bridges; b++)
        {
            commands.Add(string.Create(CultureInfo.InvariantCulture, $"link add rb{b} type bridge"));
            commands.Add(string.Create(CultureInfo.InvariantCulture, $"link set rb{b} up"));
            for (var p = 0; p < GuestPortsPerBridge; p++)
            {
                commands.Add(string.Create(CultureInfo.InvariantCulture, $"link add rg{b}x{p} type veth peer name rp{b}x{p}"));
                commands.Add(string.Create(CultureInfo.InvariantCulture, $"link set rg{b}x{p} master rb{b} up"));
            }
        }

        ns.IpBatch(commands);
        await using var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromSeconds(30) });
        Seed(api, bridges, perBridge);
        using var netlink = NetlinkNodeKernel.Open(ns.Path);
        var kernel = new CountingKernel(netlink);

        var results = new List<Result>();
        foreach (var (mode, wholeNode) in new[] { ("per bridge (this change)", false), ("whole node per key (before)", true) })
        {
            results.Add(await MeasureAsync(mode, wholeNode, api, kernel, bridges, perBridge, runs));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"resync of " + bridges + " bridges",-30} {"passes",7} {"bridges planned",16} {"kernel reads",13} {"bridges read",13} {"min",9} {"median",9} {"per bridge",11}"));
        foreach (var r in results)
        {
            var median = r.Milliseconds.Order().ElementAt(r.Milliseconds.Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Mode,-30} {r.Passes,7} {r.BridgesPlanned,16} {r.KernelReads,13} {r.BridgesRead,13} {r.Milliseconds.Min(),7:0.0}ms {median,7:0.0}ms {median / Math.Max(1, r.Passes),9:0.0}ms"));
        }
    }

    private static async Task<Result> MeasureAsync(string mode, bool wholeNode, KubeApiServerDouble api, CountingKernel kernel, int bridges, int perBridge, int runs)
    {
        using var client = BandwidthOperator.Agent.Kube.KubeApi.Create(api.ClientConfiguration());
        var config = new Dictionary<string, string?>
        {
            ["Agent:HealthPort"] = "0",
            ["Agent:Metrics:Enabled"] = "false",
            ["Agent:ResyncPeriod"] = "01:00:00",
            ["Agent:WholeNodeReconcile"] = wholeNode ? "true" : "false",
        };
        using var host = AgentHost.Build(new AgentIdentity(Node, null), client, kernel, c => c.AddInMemoryCollection(config), logging: l => l.ClearProviders());
        var service = host.Services.GetRequiredService<AgentService>();
        var queue = host.Services.GetRequiredService<WorkQueue>();
        var seen = new ConcurrentQueue<(ReconcileResult Result, long At)>();
        service.Reconciled += (_, r) => seen.Enqueue((r, Stopwatch.GetTimestamp()));
        await host.StartAsync();
        try
        {
            var started = Stopwatch.StartNew();
            var total = bridges * perBridge;
            while (api.List(ResourceType.InterfaceBandwidths).Count(Ready) < total)
            {
                if (started.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"{mode}: not every InterfaceBandwidth became Ready in 5 minutes");
                }

                await Task.Delay(500);
            }

            await UntilIdleAsync(seen, queue);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: {total} Ready after {started.Elapsed.TotalSeconds:0.0} s"));

            var times = new List<double>();
            Result? last = null;
            for (var run = -1; run < runs; run++)
            {
                kernel.Reset();
                var from = seen.Count;
                var t0 = Stopwatch.GetTimestamp();
                service.Resync();
                await UntilIdleAsync(seen, queue);
                var pass = seen.Skip(from).ToList();
                var keys = pass.Where(p => ReconcileKeys.BridgeOf(p.Result.Key) is not null).ToList();
                if (keys.Count != bridges || pass.Any(p => !p.Result.Succeeded))
                {
                    throw new InvalidOperationException($"{mode}: a resync ran {keys.Count} bridge passes for {bridges} bridges ({pass.Count(p => !p.Result.Succeeded)} failed)");
                }

                if (run < 0)
                {
                    continue; // warm-up
                }

                times.Add(Stopwatch.GetElapsedTime(t0, pass.Max(p => p.At)).TotalMilliseconds);
                last = new Result(mode, keys.Count, pass.Sum(p => p.Result.BridgesPlanned.Count), kernel.Reads, kernel.BridgesRead, times);
            }

            return last!;
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StopAsync(stop.Token);
        }
    }

    /// <summary>The queue is empty and no pass finished for 1 s.</summary>
    private static async Task UntilIdleAsync(ConcurrentQueue<(ReconcileResult Result, long At)> seen, WorkQueue queue)
    {
        var count = -1;
        var quiet = Stopwatch.StartNew();
        while (true)
        {
            if (seen.Count != count || queue.Count > 0 || queue.DelayedCount > 0)
            {
                count = seen.Count;
                quiet.Restart();
            }
            else if (quiet.Elapsed > TimeSpan.FromSeconds(1))
            {
                return;
            }

            await Task.Delay(20);
        }
    }

    private static bool Ready(JsonObject o) =>
        (o["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true;

    private static void Seed(KubeApiServerDouble api, int bridges, int perBridge)
    {
        api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = Node, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = Node } },
        });
        for (var b = 0; b < bridges; b++)
        {
            var network = string.Create(CultureInfo.InvariantCulture, $"net-{b:D2}");
            api.Seed(new JsonObject
            {
                ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
                ["kind"] = "BridgeNetwork",
                ["metadata"] = new JsonObject { ["name"] = network },
                ["spec"] = new JsonObject { ["bridge"] = string.Create(CultureInfo.InvariantCulture, $"rb{b}"), ["inbound"] = new JsonObject { ["average"] = "100G" }, ["rawMacNamespaceSelector"] = new JsonObject() },
            });
            for (var i = 0; i < perBridge; i++)
            {
                api.Seed(new JsonObject
                {
                    ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
                    ["kind"] = "InterfaceBandwidth",
                    ["metadata"] = new JsonObject { ["name"] = string.Create(CultureInfo.InvariantCulture, $"vm-{b:D2}-{i:D4}"), ["namespace"] = "bench" },
                    ["spec"] = new JsonObject
                    {
                        ["network"] = network,
                        ["nodeName"] = Node,
                        ["macAddress"] = string.Create(CultureInfo.InvariantCulture, $"52:54:01:{b:x2}:{(i >> 8) & 0xFF:x2}:{i & 0xFF:x2}"),
                        ["inbound"] = new JsonObject { ["floor"] = "10M" },
                    },
                });
            }
        }
    }

    /// <summary>The rtnetlink kernel, counting reads and the bridges each asked for.</summary>
    private sealed class CountingKernel(INodeKernel inner) : INodeKernel
    {
        private int _reads;
        private int _bridgesRead;

        public int Reads => _reads;

        public int BridgesRead => _bridgesRead;

        public void Reset()
        {
            _reads = 0;
            _bridgesRead = 0;
        }

        public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges) => ReadFacts(bridges, wholeNode: true);

        // A pass scoped to some bridges asks for theirs only (the engine dumps nothing else).
        public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges, bool wholeNode)
        {
            Interlocked.Increment(ref _reads);
            Interlocked.Add(ref _bridgesRead, bridges.Count);
            return inner.ReadFacts(bridges, wholeNode);
        }

        public KernelApplyResult Apply(IReadOnlyList<TcOperation> operations) => inner.Apply(operations);

        public void Dispose()
        {
        }
    }
}
