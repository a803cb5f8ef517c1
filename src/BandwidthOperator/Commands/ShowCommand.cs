using System.Globalization;
using System.Text.Json;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Manifests;
using BandwidthOperator.Cli;
using BandwidthOperator.Show;
using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Commands;

/// <summary>
/// <c>show</c>: "is my floor holding?" for the class trees on this namespace's bridges — per class who it
/// is (MAC, and namespace/name with <c>-f</c>), its floor and ceiling, the rate it carries now (two
/// counter samples), and whether it is asking for more (a queue most of the interval, or drops),
/// so a starved floor, a guest using less than its floor and a borrowing guest look different
/// (<see cref="FloorState"/>). <c>--watch</c> redraws every interval; <c>-o json</c> prints structured samples.
/// </summary>
internal static class ShowCommand
{
    private const string Bold = "\u001b[1m";
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";
    private const string Red = "\u001b[31m";
    private const string Cyan = "\u001b[36m";
    private const string Reset = "\u001b[0m";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Shortest sampling interval: shorter samples misreport rates (counters move in bursts).</summary>
    public const double MinIntervalSeconds = 0.2;

    public const string Usage = """
        Usage: bandwidth-operator show [-f FILE|DIR] [--bridge B] [--watch] [--interval SECONDS] [--count N] [-o text|json] [--no-color]

        Is each floor holding? The class trees on the bridges of the current network namespace: per class
        who it is (MAC; namespace/name with -f), its floor and ceiling, the rate it carries now (counters
        --interval apart), the share of its floor it gets, and whether it is asking for more (a queue,
        drops during the interval). STATE says what that means:
          starved      asking for more, yet below its floor: the floor is NOT holding
          at-floor     asking for more, getting its floor (the others use the rest)
          borrowing    above its floor, using capacity the others leave
          below-floor  less than its floor and not asking: the guest sends less (fine)
          idle         (almost) nothing
          full/in-use  the network's class: at the bridge's capacity, or not

        Options:
          -f, --filename FILE|DIR  manifests: name rows namespace/name and judge against their floors
          --bridge B               only bridge B
          --watch                  sample again every interval until Ctrl-C (or --count samples)
          --interval SECONDS       seconds between the two counter samples, 0.2 to 3600 (default 1)
          --count N                how many samples to print, 1 or more (default 1; with --watch, until Ctrl-C)
          -o, --output text|json   json: one object per sample and line (timestamp, interval, classes)
          --no-color               no colours (also NO_COLOR=1; never coloured when not a terminal)
          -h, --help               this help
        """;

    private static double ParseInterval(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v is >= MinIntervalSeconds and <= 3600 ? v : throw new UsageException($"--interval {text}: from {MinIntervalSeconds} to 3600 seconds (shorter samples misreport rates)")
            : throw new UsageException($"--interval {text}: a number of seconds, e.g. 1 or 0.5");

    private static int ParseCount(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1
            ? v
            : throw new UsageException($"--count {text}: a whole number of samples, 1 or more");

    public static int Run(IReadOnlyList<string> args, Func<INodeKernel> openKernel, TextWriter stdout, TextWriter stderr) =>
        Run(args, openKernel, stdout, stderr, TimeProvider.System);

    public static int Run(IReadOnlyList<string> args, Func<INodeKernel> openKernel, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(openKernel);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(time);
        var reader = new ArgumentReader(
            args,
            new Dictionary<string, string> { ["--bridge"] = "--bridge", ["-o"] = "-o", ["--output"] = "-o", ["--interval"] = "--interval", ["--count"] = "--count", ["-f"] = "-f", ["--filename"] = "-f" },
            new HashSet<string> { "--watch", "--no-color" },
            "show");
        var output = reader.Value("-o");
        if (output is not (null or "json" or "text"))
        {
            throw new UsageException($"-o {output}: 'text' (the default) or 'json'");
        }

        var interval = TimeSpan.FromSeconds(reader.Value("--interval") is { } iv ? ParseInterval(iv) : 1);
        var watch = reader.Flag("--watch");
        var count = reader.Value("--count") is { } c ? ParseCount(c) : watch ? 0 : 1;
        var terminal = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb") && ReferenceEquals(stdout, Console.Out);
        var color = terminal && !reader.Flag("--no-color") && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var labels = InterfaceLabels.None;
        if (reader.Value("-f") is { } path)
        {
            var manifests = ManifestReader.ReadPath(path);
            foreach (var p in manifests.Problems)
            {
                stderr.WriteLine($"warning: {p}");
            }

            labels = InterfaceLabels.From(manifests);
        }

        using var kernel = openKernel();
        var all = kernel.ReadFacts([]).Devices.Values.Where(d => d.IsBridge).Select(d => d.Name).ToList();
        var bridges = reader.Value("--bridge") is { } only ? [only] : all;
        if (reader.Value("--bridge") is { } b && !all.Contains(b))
        {
            stderr.WriteLine($"error: bridge {b} does not exist in this network namespace");
            return 1;
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            var options = new LoopOptions(interval, count, watch, terminal, color, output == "json", labels);
            Loop(kernel, bridges, options, stdout, time, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }

        return 0;
    }

    /// <summary>How often the queues are looked at within an interval: a queue is a moment, counters add up.</summary>
    private static readonly TimeSpan QueueProbe = TimeSpan.FromMilliseconds(100);

    private static void Loop(INodeKernel kernel, IReadOnlyCollection<string> bridges, LoopOptions o, TextWriter stdout, TimeProvider time, CancellationToken cancel)
    {
        var facts = kernel.ReadFacts(bridges);
        var before = facts.Observed;
        var started = time.GetTimestamp();
        for (var n = 0; o.Count == 0 || n < o.Count; n++)
        {
            // Between the two counter samples, look at the queues a few times: the largest backlog counts.
            var backlog = new Dictionary<TcObjectKey, QueueSeen>();
            var probes = 0;
            var end = started + (long)(o.Interval.TotalSeconds * time.TimestampFrequency);
            TcSnapshot after;
            while (true)
            {
                var left = TimeSpan.FromSeconds((double)(end - time.GetTimestamp()) / time.TimestampFrequency);
                if (left > TimeSpan.Zero && cancel.WaitHandle.WaitOne(left < QueueProbe ? left : QueueProbe))
                {
                    return;
                }

                facts = kernel.ReadFacts(bridges);
                after = facts.Observed;
                probes++;
                foreach (var (key, counters) in after.Counters)
                {
                    var seen = backlog.GetValueOrDefault(key);
                    backlog[key] = new QueueSeen(Math.Max(seen.MaxBytes, counters.Backlog), seen.Probes + (counters.Backlog > 0 ? 1 : 0));
                }

                if (time.GetTimestamp() >= end)
                {
                    break;
                }
            }

            var seconds = time.GetElapsedTime(started).TotalSeconds;
            var now = time.GetUtcNow();
            var rows = Rows(before, after, seconds, bridges, backlog.ToDictionary(kv => kv.Key, kv => (kv.Value.MaxBytes, 100.0 * kv.Value.Probes / probes)), o.Labels, TreeLabels(facts, bridges));
            if (o.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new ShowSample(now, Math.Round(seconds, 3), rows), JsonOptions));
            }
            else
            {
                if (o.Watch && o.Terminal)
                {
                    // Redraw in place on a terminal; piped, each sample follows the last.
                    stdout.Write("\u001b[H\u001b[2J");
                }

                if (o.Watch)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{now:HH:mm:ss} UTC, rates over the last {seconds:0.0} s (Ctrl-C to stop)"));
                }

                Print(stdout, rows, o.Color);
                PrintPorts(stdout, facts, bridges);
                stdout.Flush();
            }

            before = after;
            started = time.GetTimestamp();
        }
    }

    /// <summary>A class "asks for more" when it dropped, or had a queue in at least this share of the looks during the interval.</summary>
    public const double AskingQueuedPercent = 50;

    /// <summary>Our IFB devices of the shown bridges → how a row names them: <c>br0/in</c>, <c>br0/out</c> (docs/architecture.md).</summary>
    internal static Dictionary<string, string> TreeLabels(NodeFacts facts, IReadOnlyCollection<string> bridges)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var byIndex = facts.Devices.Values.ToDictionary(d => d.IfIndex);
        var treeLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in facts.Devices.Values)
        {
            if (KernelOwnership.TreeOf(d.Name) is { } ifb && byIndex.TryGetValue(ifb.BridgeIndex, out var bridge) && bridges.Contains(bridge.Name))
            {
                treeLabels[d.Name] = bridge.Name + (ifb.Direction == Direction.Inbound ? "/in" : "/out");
            }
        }

        return treeLabels;
    }

    /// <summary>Each shown bridge's ports: whether our hook is on it (guest) or not.</summary>
    private static void PrintPorts(TextWriter w, NodeFacts facts, IReadOnlyCollection<string> bridges)
    {
        foreach (var bridge in bridges.Order(StringComparer.Ordinal))
        {
            var ports = facts.Devices.Values.Where(d => d.Master == bridge).OrderBy(d => d.Name, StringComparer.Ordinal).Select(d =>
            {
                var hooked = facts.Observed.Objects.OfType<U32Filter>().Any(f => f.Device == d.Name && KernelOwnership.IsOurHookRedirect(f));
                var role = d.Kind is "veth" or "tun" ? "guest" : "uplink";
                return $"{d.Name} ({(hooked ? "guest, hooked" : role + " by kind, not hooked")})";
            }).ToList();
            if (ports.Count > 0)
            {
                w.WriteLine($"ports of {bridge}: {string.Join(", ", ports)}");
            }
        }
    }

    /// <param name="queues">Per class: the largest backlog seen and the share of looks (%) that saw one.</param>
    /// <param name="treeLabels">Our IFB devices of the shown bridges and their row names (<see cref="TreeLabels"/>).</param>
    internal static List<ClassRow> Rows(TcSnapshot before, TcSnapshot after, double seconds, IReadOnlyCollection<string> bridges, IReadOnlyDictionary<TcObjectKey, (ulong MaxBytes, double QueuedPercent)>? queues = null, InterfaceLabels? labels = null, IReadOnlyDictionary<string, string>? treeLabels = null)
    {
        labels ??= InterfaceLabels.None;
        treeLabels ??= new Dictionary<string, string>();
        MacAddress? MacOf(U32Filter f) => treeLabels.TryGetValue(f.Device, out var l) && l.EndsWith("/out", StringComparison.Ordinal) ? ShapingTree.MacOf(f, Direction.Outbound) : BridgeTree.MacOf(f);
        string BridgeOf(string device) => treeLabels.TryGetValue(device, out var l) ? l[..l.IndexOf('/', StringComparison.Ordinal)] : device;
        var macs = after.Objects.OfType<U32Filter>()
            .Where(f => f.FlowId is not null && MacOf(f) is not null)
            .GroupBy(f => (f.Device, f.FlowId!.Value))
            .ToDictionary(g => g.Key, g => MacOf(g.First())!.Value);
        var rows = new List<ClassRow>();
        foreach (var c in after.Objects.OfType<HtbClass>().Where(c => bridges.Contains(c.Device) || treeLabels.ContainsKey(c.Device))
            .OrderBy(c => treeLabels.GetValueOrDefault(c.Device, c.Device), StringComparer.Ordinal).ThenBy(c => c.Handle))
        {
            var now = after.Counters.GetValueOrDefault(c.Key);
            var then = before.Counters.GetValueOrDefault(c.Key);
            var bytes = now is not null && then is not null && now.Bytes >= then.Bytes ? now.Bytes - then.Bytes : 0;
            var rate = seconds > 0 ? (ulong)(bytes * 8 / seconds) : 0;
            var drops = (ulong)((now?.Drops ?? 0) - Math.Min(now?.Drops ?? 0, then?.Drops ?? 0));
            var overlimits = (ulong)((now?.Overlimits ?? 0) - Math.Min(now?.Overlimits ?? 0, then?.Overlimits ?? 0));
            var queue = queues?.GetValueOrDefault(c.Key) ?? (now?.Backlog ?? 0, now?.Backlog > 0 ? 100 : 0);
            var role = c.Handle.Minor switch
            {
                BridgeTree.RootClass => "network",
                BridgeTree.DefaultClass => "unfloored",
                ShapingTree.SmallPacketClass => "small-packets",
                _ when c.Rate <= ShapingTree.LimitOnlyRate => "limit",
                _ => "floor",
            };
            MacAddress? mac = macs.TryGetValue((c.Device, c.Handle), out var m) ? m : null;
            var label = mac is { } known ? labels.Find(BridgeOf(c.Device), known) : null;
            var floor = c.Rate.BitsPerSecond;
            ulong? requested = label?.Floor is { } f && f.BitsPerSecond != floor ? f.BitsPerSecond : null;
            var judgedFloor = requested ?? floor;
            // Overlimits alone do not say it: a GSO burst of a slow sender crosses the ceiling's burst for a moment.
            var asking = drops > 0 || queue.QueuedPercent >= AskingQueuedPercent;
            var isFloor = role == "floor";
            rows.Add(new ClassRow(
                treeLabels.GetValueOrDefault(c.Device, c.Device),
                c.Handle.ToString(),
                role,
                mac?.ToString(),
                label?.Name,
                floor,
                requested,
                c.Ceil.BitsPerSecond,
                rate,
                isFloor && judgedFloor > 0 ? Math.Round(100.0 * rate / judgedFloor, 1) : null,
                FloorState.Of(role, rate, judgedFloor, c.Ceil.BitsPerSecond, asking),
                asking,
                queue.MaxBytes,
                Math.Round(queue.QueuedPercent, 1),
                drops,
                now?.Drops ?? 0,
                overlimits,
                role != "network" && rate > judgedFloor * FloorState.BorrowingPercent / 100));
        }

        return rows;
    }

    private static void Print(TextWriter w, List<ClassRow> rows, bool color)
    {
        if (rows.Count == 0)
        {
            w.WriteLine("no HTB classes on the bridges of this network namespace");
            return;
        }

        var header = string.Create(CultureInfo.InvariantCulture, $"{"BRIDGE",-10} {"CLASS",-7} {"INTERFACE",-28} {"FLOOR",8} {"CEIL",8} {"NOW",14} {"OF FLOOR",9} {"BACKLOG",9} {"DROPS/s",8}  STATE");
        w.WriteLine(color ? Bold + header + Reset : header);
        foreach (var r in rows)
        {
            var who = r.Role switch
            {
                "floor" => r.Name is { } name ? $"{name} ({r.Mac})" : r.Mac ?? "floor",
                var other => other,
            };
            if (who.Length > 28)
            {
                who = r.Name ?? who[..28];
            }

            var floor = r.RequestedFloorBitsPerSecond is { } req ? new BitRate(req) + "*" : new BitRate(r.FloorBitsPerSecond).ToString();
            var share = r.ShareOfFloorPercent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{r.Bridge,-10} {r.Class,-7} {who,-28} {floor,8} {new BitRate(r.CeilBitsPerSecond),8} {new BitRate(r.RateBitsPerSecond).ToHuman(),14} {share,9} {r.BacklogBytes,9} {r.DropsInInterval,8}  ");
            var state = r.State;
            if (color)
            {
                // Red: starved; yellow: asking at its floor or ceiling; cyan: borrowing; plain: not asking.
                var c = r.State switch
                {
                    "starved" => Red,
                    "at-floor" or "full" => Yellow,
                    "borrowing" => Cyan,
                    _ => Green,
                };
                state = c + state + Reset;
            }

            w.WriteLine(line + state);
        }

        if (rows.Any(r => r.RequestedFloorBitsPerSecond is not null))
        {
            w.WriteLine("* the floor the manifests ask for; the kernel's class has another rate (apply them)");
        }
    }

    private readonly record struct QueueSeen(ulong MaxBytes, int Probes);

    private sealed record LoopOptions(TimeSpan Interval, int Count, bool Watch, bool Terminal, bool Color, bool Json, InterfaceLabels Labels);

    /// <summary>One sample for <c>-o json</c>: when, over how long, and the classes.</summary>
    private sealed record ShowSample(DateTimeOffset Timestamp, double IntervalSeconds, IReadOnlyList<ClassRow> Classes);
}
