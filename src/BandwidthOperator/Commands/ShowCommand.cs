using System.Globalization;
using System.Text.Json;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Cli;
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

    /// <summary>Shortest sampling interval: shorter samples misreport rates (counters move in bursts).</summary>
    public const double MinIntervalSeconds = 0.2;

    public const string Usage = """
        Usage: bandwidth-operator show [--bridge B] [--watch] [--interval SECONDS] [--count N] [-o text|json] [--no-color]

        The live class trees on the bridges of the current network namespace: per class its floor, ceiling,
        the rate it carries now (two counter samples --interval apart), the share of its floor it gets,
        drops and whether it borrows.

        Options:
          --bridge B               only bridge B
          --watch                  sample again every interval until Ctrl-C (or --count samples)
          --interval SECONDS       seconds between the two counter samples, 0.2 to 3600 (default 1)
          --count N                how many samples to print, 1 or more (default 1; with --watch, until Ctrl-C)
          -o, --output text|json   json: one array of rows per sample, for scripts
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

    public static int Run(IReadOnlyList<string> args, Func<INodeKernel> openKernel, TextWriter stdout, TextWriter stderr)
    {
        var reader = new ArgumentReader(
            args,
            new Dictionary<string, string> { ["--bridge"] = "--bridge", ["-o"] = "-o", ["--output"] = "-o", ["--interval"] = "--interval", ["--count"] = "--count" },
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
        var before = kernel.ReadFacts(bridges).Observed;
        var started = DateTime.UtcNow;
        for (var n = 0; count == 0 || n < count; n++)
        {
            if (cancel.WaitHandle.WaitOne(interval))
            {
                break;
            }

            var after = kernel.ReadFacts(bridges).Observed;
            var now = DateTime.UtcNow;
            var rows = Rows(before, after, (now - started).TotalSeconds, bridges);
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
                stdout.Flush();
            }

            before = after;
            started = now;
        }
    }

    internal static List<ClassRow> Rows(TcSnapshot before, TcSnapshot after, double seconds, IReadOnlyCollection<string> bridges)
    {
        var macs = after.Objects.OfType<U32Filter>()
            .Where(f => f.FlowId is not null && BridgeTree.MacOf(f) is not null)
            .GroupBy(f => (f.Device, f.FlowId!.Value))
            .ToDictionary(g => g.Key, g => BridgeTree.MacOf(g.First())!.Value);
        var rows = new List<ClassRow>();
        foreach (var c in after.Objects.OfType<HtbClass>().Where(c => bridges.Contains(c.Device)).OrderBy(c => c.Device, StringComparer.Ordinal).ThenBy(c => c.Handle))
        {
            var now = after.Counters.GetValueOrDefault(c.Key);
            var then = before.Counters.GetValueOrDefault(c.Key);
            var bytes = now is not null && then is not null && now.Bytes >= then.Bytes ? now.Bytes - then.Bytes : 0;
            var rate = seconds > 0 ? (ulong)(bytes * 8 / seconds) : 0;
            var role = c.Handle.Minor switch
            {
                BridgeTree.RootClass => "network",
                BridgeTree.DefaultClass => "unfloored",
                _ => macs.TryGetValue((c.Device, c.Handle), out var mac) ? "floor " + mac : "floor",
            };
            var isFloor = c.Handle.Minor > BridgeTree.DefaultClass;
            rows.Add(new ClassRow(
                c.Device,
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
