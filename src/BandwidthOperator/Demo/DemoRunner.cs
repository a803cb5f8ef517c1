using System.Diagnostics;
using System.Globalization;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Netns;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;

namespace BandwidthOperator.Demo;

/// <summary>
/// Runs the demo: a throw-away topology in namespaces <c>bwo-demo-*</c> (bridge br0 with an uplink port to the external host on the same L2 segment, one guest
/// per InterfaceBandwidth, an external host behind an upstream link 10% faster than the network), the
/// three phases of <see cref="DemoScenario"/> applied through the agent's engine (<see cref="NodeConverger"/>),
/// each measured with greedy TCP toward every guest (inbound) and then from every guest to the external host
/// through the uplink (outbound; one after the other, so the two never share the CPU), and the cleanup —
/// whatever happens, also on cancellation.
/// </summary>
internal sealed class DemoRunner(DemoOptions options, TextWriter output)
{
    public const int Port = 5201;

    /// <summary>Outbound, the listeners are all on the external host: guest g (0-based) sends to this + 2g (IPv4) and + 2g + 1 (IPv6).</summary>
    public const int OutboundPort = 5301;

    public async Task<DemoResult> RunAsync(DemoScenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var clock = Stopwatch.StartNew();
        var names = BridgeTopology.NamesFor(scenario.Guests.Count, options.NamespacePrefix);
        var taken = names.Where(NetworkNamespace.Exists).ToList();
        if (taken.Count > 0)
        {
            throw new InvalidOperationException($"network namespace(s) {string.Join(", ", taken)} exist already: another demo is running, or one was killed (remove them with 'ip netns del NAME')");
        }

        BridgeTopology? topology = null;
        try
        {
            topology = Step($"building the topology: namespaces {string.Join(", ", names)}", () => BridgeTopology.CreateNamed(scenario.Guests.Count, options.NamespacePrefix, l2: true));
            var uplink = BitRate.FromMegabits(scenario.Capacity.BitsPerSecond * 1.1 / 1e6);
            Step($"capping the upstream link (external → host) at {uplink}", () => topology.CapExternalLink(uplink));
            var downlink = BitRate.FromMegabits((scenario.OutboundCapacity ?? scenario.Capacity).BitsPerSecond * 1.1 / 1e6);
            Step($"capping the uplink port {BridgeTopology.UplinkPort} (host → external) at {downlink}", () =>
                topology.Host.Tc("qdisc", "replace", "dev", BridgeTopology.UplinkPort, "root", "tbf", "rate", downlink.ToTcString(), "burst", "64kb", "latency", "20ms"));
            await StepAsync("waiting until every guest answers ping (IPv4 and IPv6)", () => WaitReachableAsync(topology, cancellationToken));

            using var kernel = NetlinkNodeKernel.Open(topology.Host.Path);
            var converger = new NodeConverger(kernel);
            var phases = new List<DemoPhaseResult>();
            double start = 0;
            foreach (var phase in scenario.Phases)
            {
                cancellationToken.ThrowIfCancellationRequested();
                output.WriteLine();
                output.WriteLine($"Phase {phase.Number}/{scenario.Phases.Count} — {phase.Name}: {phase.Description}");
                if (phase.Request is { } request)
                {
                    Step($"applying through the engine (node {options.Node}, bridge {BridgeTopology.BridgeName} in {topology.Host.Name})", () =>
                    {
                        var r = converger.Converge(request);
                        if (!r.Converged)
                        {
                            throw new InvalidOperationException($"the engine could not apply phase {phase.Number}: {r.Applied?.Error ?? r.RemainingOperations + " operation(s) still differ"}");
                        }

                        var refused = r.Interfaces.Where(i => !i.Admitted.Status || !i.Ready.Status).ToList();
                        if (refused.Count > 0)
                        {
                            throw new InvalidOperationException($"phase {phase.Number}: " + string.Join("; ", refused.Select(i => $"{i.Ref}: {i.Admitted.Reason} {i.Ready.Reason} {i.Admitted.Message}{i.Ready.Message}")));
                        }

                        return r.Applied is null ? "nothing to change" : $"{r.Applied.Applied} operation(s), {r.Applied.KernelWrites} kernel write(s)";
                    });
                }

                foreach (var direction in new[] { DemoDirection.Inbound, DemoDirection.Outbound })
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var result = await RunPartAsync(topology, scenario, phase, direction, start, cancellationToken);
                    phases.Add(result);
                    start += result.Length;
                }
            }

            return new DemoResult(phases, clock.Elapsed);
        }
        finally
        {
            if (topology is not null)
            {
                var s = Stopwatch.StartNew();
                output.Write("cleaning up: removing the demo's namespaces (and with them every device in them) … ");
                output.Flush();
                topology.Dispose();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done ({s.Elapsed.TotalSeconds:0.0} s)"));
            }
        }
    }

    private async Task<DemoPhaseResult> RunPartAsync(BridgeTopology topology, DemoScenario scenario, DemoPhase phase, DemoDirection direction, double start, CancellationToken cancellationToken)
    {
        // Inbound: one run from the external host toward every guest. Outbound: one run per guest (a run
        // sends from one namespace), all at once, toward listeners on the external host (a port each).
        var runs = new List<PartRun>();
        if (direction == DemoDirection.Inbound)
        {
            runs.Add(new PartRun(topology.External));
        }

        for (var g = 0; g < scenario.Guests.Count; g++)
        {
            var guest = scenario.Guests[g];
            var lab = topology.Guests[guest.Index - 1];
            var v6 = guest.Streams / 2;
            var (run, target, port) = direction == DemoDirection.Inbound
                ? (runs[0], lab, Port)
                : (new PartRun(lab.Namespace), topology.ExternalHost, OutboundPort + (2 * g));
            if (direction == DemoDirection.Outbound)
            {
                runs.Add(run);
            }

            run.Groups.Add(FlowGroup.IPv4(target, guest.Streams - v6, port));
            run.Owner.Add(g);
            if (v6 > 0)
            {
                run.Groups.Add(FlowGroup.IPv6(target, v6, direction == DemoDirection.Inbound ? port : port + 1));
                run.Owner.Add(g);
            }
        }

        var samples = scenario.Guests.Select(_ => new List<(double, BitRate)>()).ToList();
        var latest = new ulong[scenario.Guests.Count];
        var gate = new object();
        var trafficInterval = TrafficOptions.Default.SampleInterval;
        var table = new LiveTable(output, options, scenario.Guests, phase, direction, options.Warmup.TotalSeconds + options.Seconds);
        var tasks = new List<Task<TrafficResult>>();
        for (var r = 0; r < runs.Count; r++)
        {
            var (source, groups, owner) = (runs[r].Source, runs[r].Groups, runs[r].Owner);
            var drawsTable = r == runs.Count - 1;
            var trafficOptions = TrafficOptions.Default with
            {
                OnSample = (at, rates) =>
                {
                    lock (gate)
                    {
                        var mine = owner.Distinct().ToList();
                        foreach (var g in mine)
                        {
                            latest[g] = 0;
                        }

                        for (var i = 0; i < rates.Count; i++)
                        {
                            latest[owner[i]] += rates[i].BitsPerSecond;
                        }

                        // Plotted at the middle of the second it covers.
                        var x = start + Math.Max(0, at.TotalSeconds - (trafficInterval.TotalSeconds / 2));
                        foreach (var g in mine)
                        {
                            samples[g].Add((x, new BitRate(latest[g])));
                        }

                        // Outbound, the runs sample on their own clocks: the last guest's run redraws the table.
                        if (drawsTable)
                        {
                            table.Update(at, [.. latest.Select(v => new BitRate(v))]);
                        }
                    }
                },
            };
            tasks.Add(TrafficRun.RunAsync(source, groups, options.Warmup, TimeSpan.FromSeconds(options.Seconds), trafficOptions, cancellationToken));
        }

        var results = await Task.WhenAll(tasks);
        var guests = new List<DemoGuestResult>();
        for (var g = 0; g < scenario.Guests.Count; g++)
        {
            // The guest's typical rate: the median over the measured seconds of its flows' summed goodput.
            var mine = runs.SelectMany((run, r) => results[r].Groups.Where((_, i) => run.Owner[i] == g)).ToList();
            var perSecond = Enumerable.Range(0, mine.Min(x => x.Samples.Count))
                .Where(k => !mine[0].Samples[k].InWarmup)
                .Select(k => mine.Aggregate(0UL, (sum, x) => sum + x.Samples[k].Goodput.BitsPerSecond));
            guests.Add(new DemoGuestResult(scenario.Guests[g], direction, FlowGroupResult.Median(perSecond), samples[g]));
        }

        table.Finish(guests);
        return new DemoPhaseResult(phase, direction, start, options.Warmup.TotalSeconds + options.Seconds, guests);
    }

    private static async Task WaitReachableAsync(BridgeTopology topology, CancellationToken cancellationToken)
    {
        foreach (var g in topology.Guests)
        {
            foreach (var address in new[] { g.IPv4, g.IPv6 })
            {
                if (!await IcmpEcho.PingAsync(topology.External, address, TimeSpan.FromSeconds(10), cancellationToken))
                {
                    throw new InvalidOperationException($"guest {g.Namespace.Name} ({address}) does not answer ping from {topology.External.Name}");
                }
            }
        }
    }

    private T Step<T>(string what, Func<T> action)
    {
        var s = Stopwatch.StartNew();
        output.Write(what + " … ");
        output.Flush();
        T r;
        try
        {
            r = action();
        }
        catch
        {
            output.WriteLine("failed");
            throw;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(r is string text ? text + ", " : "")}done ({s.Elapsed.TotalSeconds:0.0} s)"));
        return r;
    }

    private void Step(string what, Action action) => Step<object?>(what, () =>
    {
        action();
        return null;
    });

    private async Task StepAsync(string what, Func<Task> action)
    {
        var s = Stopwatch.StartNew();
        output.Write(what + " … ");
        output.Flush();
        try
        {
            await action();
        }
        catch
        {
            output.WriteLine("failed");
            throw;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done ({s.Elapsed.TotalSeconds:0.0} s)"));
    }

    /// <summary>One traffic run of a part: its source namespace, its flow groups and, per group, the guest (0-based) it counts for.</summary>
    private sealed record PartRun(NetworkNamespace Source)
    {
        public List<FlowGroup> Groups { get; } = [];

        public List<int> Owner { get; } = [];
    }
}
