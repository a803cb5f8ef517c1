using System.Globalization;
using System.Runtime.InteropServices;
using BandwidthOperator.Cli;
using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Demo;

/// <summary>
/// <c>demo [--seconds N] [--png PATH] [--node NAME] [-f DIR] [--no-color]</c>: builds a throw-away
/// topology, runs the three phases (each inbound, then outbound) with a live table, prints a summary, writes the chart and removes
/// everything it made — also on Ctrl-C, SIGTERM or failure. Exit 0 when every floor (inbound and outbound) held in the floors
/// phase, 4 when one did not, 130 when interrupted, 1 on error.
/// </summary>
internal static class DemoCommand
{
    public const int FloorMissed = 4;
    public const int Interrupted = 130;

    /// <summary>From the console: Ctrl-C and SIGTERM cancel the run (which then cleans up).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });
        using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            cancel.Cancel();
        });
        try
        {
            var terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
            return RunAsync(args, stdout, stderr, terminal, cancel.Token).GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    /// <summary>
    /// The demo, interruptible by <paramref name="cancellationToken"/>; <paramref name="terminal"/>: redraw in place, colours;
    /// <paramref name="namespacePrefix"/>: names for its namespaces other than <c>bwo-demo-*</c> (tests running beside other tests).
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, bool terminal, CancellationToken cancellationToken, string? namespacePrefix = null)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var reader = new ArgumentReader(
            args,
            new Dictionary<string, string> { ["--seconds"] = "--seconds", ["--png"] = "--png", ["--node"] = "--node", ["-f"] = "-f", ["--filename"] = "-f" },
            new HashSet<string> { "--no-color" });
        var seconds = reader.Value("--seconds") is { } s
            ? int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 600 ? n : throw new UsageException($"--seconds {s}: a whole number of seconds from 1 to 600")
            : 6;
        var color = terminal && !reader.Flag("--no-color") && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var options = new DemoOptions
        {
            Seconds = seconds,
            PngPath = reader.Value("--png") ?? "bandwidth-demo.png",
            Node = reader.Value("--node") ?? "demo",
            ManifestsPath = reader.Value("-f"),
            Live = terminal,
            Color = color,
            NamespacePrefix = namespacePrefix ?? DemoOptions.DefaultNamespacePrefix,
        };
        if (!NetworkNamespace.IsRoot)
        {
            stderr.WriteLine("error: the demo needs root (it creates network namespaces): run it with sudo");
            return 1;
        }

        var scenario = DemoScenario.Load(options.ManifestsPath, options.Node);
        stdout.WriteLine($"bandwidth-operator demo: {scenario.Guests.Count} guests on a bridge with an uplink port ({scenario.Capacity} in, {scenario.OutboundCapacity?.ToString() ?? "unshaped"} out), 3 phases, each {options.Seconds} s (+{options.Warmup.TotalSeconds:0} s warm-up) of greedy TCP toward every guest, then {options.Seconds} s (+{options.Warmup.TotalSeconds:0} s) from every guest to the external host");
        try
        {
            var result = await new DemoRunner(options, stdout).RunAsync(scenario, cancellationToken);
            DemoSummary.Print(stdout, result, options, color);
            var chartClock = System.Diagnostics.Stopwatch.StartNew();
            stdout.Write($"writing the chart to {options.PngPath} … ");
            stdout.Flush();
            try
            {
                DemoChart.Write(options.PngPath, result, options.Warmup);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or TypeInitializationException)
            {
                stdout.WriteLine("failed");
                stderr.WriteLine($"error: writing the chart to {options.PngPath} failed: {e.GetBaseException().Message}");
                return 1;
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done ({chartClock.Elapsed.TotalSeconds:0.0} s)"));
            return result.FloorsHeld ? 0 : FloorMissed;
        }
        catch (InvalidOperationException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stdout.WriteLine();
            stderr.WriteLine("interrupted: everything the demo created was removed");
            return Interrupted;
        }
    }
}
