using System.Globalization;
using System.Text.Json;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Cli;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Commands;

/// <summary>
/// <c>show</c>: the live class trees on this namespace's bridges — per class its floor (rate), ceiling,
/// the rate it carries now (from two counter samples), the share of its floor it gets, drops, and
/// whether it is borrowing. <c>--watch</c> redraws every interval; <c>-o json</c> prints one sample for scripts.
/// </summary>
internal static class ShowCommand
{
    private const string Bold = "\u001b[1m";
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";
    private const string Red = "\u001b[31m";
    private const string Cyan = "\u001b[36m";
    private const string Reset = "\u001b[0m";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static int Run(IReadOnlyList<string> args, Func<INodeKernel> openKernel, TextWriter stdout, TextWriter stderr)
    {
        var reader = new ArgumentReader(
            args,
            new Dictionary<string, string> { ["--bridge"] = "--bridge", ["-o"] = "-o", ["--output"] = "-o", ["--interval"] = "--interval", ["--count"] = "--count" },
            new HashSet<string> { "--watch", "--no-color" });
        var output = reader.Value("-o");
        if (output is not (null or "json" or "text"))
        {
            throw new UsageException($"-o {output}: 'json' or the default text");
        }

        var interval = TimeSpan.FromSeconds(double.Parse(reader.Value("--interval") ?? "1", CultureInfo.InvariantCulture));
        var watch = reader.Flag("--watch");
        var count = int.Parse(reader.Value("--count") ?? (watch ? "0" : "1"), CultureInfo.InvariantCulture);
        var terminal = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb") && ReferenceEquals(stdout, Console.Out);
        var color = terminal && !reader.Flag("--no-color") && Environment.GetEnvironmentVariable("NO_COLOR") is null;

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
            Loop(kernel, bridges, interval, count, watch, terminal, color, output == "json", stdout, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }

        return 0;
    }

    private static void Loop(INodeKernel kernel, IReadOnlyCollection<string> bridges, TimeSpan interval, int count, bool watch, bool terminal, bool color, bool json, TextWriter stdout, CancellationToken cancel)
    {
        var facts = kernel.ReadFacts(bridges);
        var before = facts.Observed;
        var labels = TreeLabels(facts, bridges);
        var started = DateTime.UtcNow;
        for (var n = 0; count == 0 || n < count; n++)
        {
            if (cancel.WaitHandle.WaitOne(interval))
            {
                break;
            }

            facts = kernel.ReadFacts(bridges);
            var after = facts.Observed;
            var now = DateTime.UtcNow;
            labels = TreeLabels(facts, bridges);
            var rows = Rows(before, after, (now - started).TotalSeconds, bridges, labels);
            if (json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
            }
            else
            {
                if (watch && terminal)
                {
                    // Redraw in place on a terminal; piped, each sample follows the last.
                    stdout.Write("\u001b[H\u001b[2J");
                }

                if (watch)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{now:HH:mm:ss} UTC, rates over the last {(now - started).TotalSeconds:0.0} s (Ctrl-C to stop)"));
                }

                Print(stdout, rows, color);
                PrintPorts(stdout, facts, bridges);
                stdout.Flush();
            }

            before = after;
            started = now;
        }
    }

    /// <summary>Our IFB devices of the shown bridges → how a row names them: <c>br0/in</c>, <c>br0/out</c>.</summary>
    internal static Dictionary<string, string> TreeLabels(NodeFacts facts, IReadOnlyCollection<string> bridges)
    {
        var byIndex = facts.Devices.Values.ToDictionary(d => d.IfIndex);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in facts.Devices.Values)
        {
            if (ShapingTree.ParseIfb(d.Name) is { } ifb && byIndex.TryGetValue(ifb.BridgeIndex, out var bridge) && bridges.Contains(bridge.Name))
            {
                labels[d.Name] = bridge.Name + (ifb.Direction == Direction.Inbound ? "/in" : "/out");
            }
        }

        return labels;
    }

    /// <summary>Each shown bridge's ports: role and whether our hook is on it.</summary>
    private static void PrintPorts(TextWriter w, NodeFacts facts, IReadOnlyCollection<string> bridges)
    {
        foreach (var bridge in bridges.Order(StringComparer.Ordinal))
        {
            var ports = facts.Devices.Values.Where(d => d.Master == bridge).OrderBy(d => d.Name, StringComparer.Ordinal).Select(d =>
            {
                var hooked = facts.Observed.Objects.OfType<U32Filter>().Any(f => f.Device == d.Name && f.Parent.Major == 0xFFFF && f.RedirectTo is { } to && ShapingTree.IsOurIfb(to));
                var role = d.Kind is "veth" or "tun" ? "guest" : "uplink";
                return $"{d.Name} ({(hooked ? "guest, hooked" : role + " by kind, not hooked")})";
            }).ToList();
            if (ports.Count > 0)
            {
                w.WriteLine($"ports of {bridge}: {string.Join(", ", ports)}");
            }
        }
    }

    internal static List<ClassRow> Rows(TcSnapshot before, TcSnapshot after, double seconds, IReadOnlyCollection<string> bridges, IReadOnlyDictionary<string, string>? treeLabels = null)
    {
        treeLabels ??= new Dictionary<string, string>();
        MacAddress? MacOf(U32Filter f) => treeLabels.TryGetValue(f.Device, out var l) && l.EndsWith("/out", StringComparison.Ordinal) ? ShapingTree.MacOf(f, Direction.Outbound) : BridgeTree.MacOf(f);
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
            var role = c.Handle.Minor switch
            {
                BridgeTree.RootClass => "network",
                BridgeTree.DefaultClass => "unfloored",
                ShapingTree.SmallPacketClass => "small packets (ACKs)",
                _ => macs.TryGetValue((c.Device, c.Handle), out var mac) ? "floor " + mac : "floor",
            };
            var isFloor = c.Handle.Minor > BridgeTree.DefaultClass && c.Handle.Minor != ShapingTree.SmallPacketClass && c.Rate > ShapingTree.LimitOnlyRate;
            rows.Add(new ClassRow(
                treeLabels.GetValueOrDefault(c.Device, c.Device),
                c.Handle.ToString(),
                role,
                c.Rate.BitsPerSecond,
                c.Ceil.BitsPerSecond,
                rate,
                isFloor && c.Rate.BitsPerSecond > 0 ? Math.Round(100.0 * rate / c.Rate.BitsPerSecond, 1) : null,
                (now?.Drops ?? 0) - Math.Min(now?.Drops ?? 0, then?.Drops ?? 0),
                now?.Drops ?? 0,
                c.Handle.Minor != BridgeTree.RootClass && rate > c.Rate.BitsPerSecond * 1.02));
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

        var header = string.Create(CultureInfo.InvariantCulture, $"{"BRIDGE",-10} {"CLASS",-7} {"ROLE",-24} {"FLOOR",12} {"CEIL",12} {"NOW",14} {"OF FLOOR",9} {"DROPS/s",8} {"DROPS",8}  BORROWING");
        w.WriteLine(color ? Bold + header + Reset : header);
        foreach (var r in rows)
        {
            var share = r.ShareOfFloorPercent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{r.Bridge,-10} {r.Class,-7} {r.Role,-24} {new BitRate(r.FloorBitsPerSecond),12} {new BitRate(r.CeilBitsPerSecond),12} {new BitRate(r.RateBitsPerSecond).ToHuman(),14} ");
            var rest = string.Create(CultureInfo.InvariantCulture, $"{share,9} {r.DropsInInterval,8} {r.DropsTotal,8}  {(r.Borrowing ? "yes" : "no")}");
            if (color)
            {
                // Green: the floor is met (≥ 93% of it); yellow: below it while traffic flows; red: drops now; cyan: borrowing.
                var shareColor = r.ShareOfFloorPercent is { } s && r.RateBitsPerSecond > 0 ? (s >= 93 ? Green : Yellow) : string.Empty;
                rest = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{shareColor}{share,9}{Reset} {(r.DropsInInterval > 0 ? Red : string.Empty)}{r.DropsInInterval,8}{Reset} {r.DropsTotal,8}  {(r.Borrowing ? Cyan + "yes" + Reset : "no")}");
            }

            w.WriteLine(line + rest);
        }
    }

    internal sealed record ClassRow(
        string Bridge,
        string Class,
        string Role,
        ulong FloorBitsPerSecond,
        ulong CeilBitsPerSecond,
        ulong RateBitsPerSecond,
        double? ShareOfFloorPercent,
        ulong DropsInInterval,
        ulong DropsTotal,
        bool Borrowing);
}
