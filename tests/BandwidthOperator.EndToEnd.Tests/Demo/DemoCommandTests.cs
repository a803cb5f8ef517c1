using System.Buffers.Binary;
using System.Globalization;
using BandwidthOperator.Demo;
using BandwidthOperator.Lab.Netns;
using Xunit.Abstractions;

namespace BandwidthOperator.EndToEnd.Tests.Demo;

/// <summary>
/// `bandwidth-operator demo` in-process: it passes (every floor held, inbound and outbound), its outbound
/// measurements follow the shaping applied (limits cap, a floor below the cap is missed), writes a valid PNG, and leaves
/// no namespace, device or process behind — also when interrupted halfway, and it refuses to start
/// when its namespace names are taken.
/// </summary>
[Collection(TrafficCollection.Name)]
public sealed class DemoCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bwo-demo-test-").FullName;

    // Its own namespace names: another run of these tests on the same machine (another worktree) must
    // neither collide with this one nor have its namespaces removed by this one's cleanup.
    private readonly string _prefix = $"bwt-dm{Guid.NewGuid():N}"[..12] + "-";
    private readonly HashSet<string> _linksBefore = RootLinks();
    private readonly HashSet<int> _childrenBefore = ChildProcesses();

    public void Dispose()
    {
        // Never leave a demo namespace behind for the next test, even when an assertion failed.
        foreach (var ns in NetworkNamespace.List().Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)))
        {
            HostCommand.TryRun("ip", "netns", "del", ns);
        }

        Directory.Delete(_dir, recursive: true);
    }

    [RootFact]
    public async Task Demo_runs_end_to_end_every_floor_holds_and_nothing_is_left_behind()
    {
        var png = Path.Combine(_dir, "chart.png");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = -1;

        // One more run is allowed when a floor was missed (exit 4): on a shared 2-core machine the
        // in-process traffic generator can stall; a floor that does not hold misses twice.
        for (var attempt = 1; attempt <= 2 && code is not 0; attempt++)
        {
            stdout = new StringWriter();
            stderr = new StringWriter();
            code = await DemoCommand.RunAsync(["--seconds", "4", "--png", png], stdout, stderr, terminal: false, CancellationToken.None, _prefix);
            log.WriteLine($"attempt {attempt}: exit {code}");
            log.WriteLine(stdout.ToString());
            log.WriteLine(stderr.ToString());
            NothingLeftBehind();
            if (code != DemoCommand.FloorMissed)
            {
                break;
            }
        }

        code.ShouldBe(0, stderr.ToString());
        var text = stdout.ToString();
        text.ShouldContain("RESULT: every floor held in phase 3 (floors), inbound and outbound.");
        text.ShouldContain("Phase 1/3 — no shaping");
        text.ShouldContain("Phase 2/3 — limits only");
        text.ShouldContain("Phase 3/3 — floors");
        text.ShouldNotContain("\u001b", customMessage: "piped output is plain");
        var summary = text[text.IndexOf("Summary", StringComparison.Ordinal)..];
        summary.ShouldContain("guest-a");
        summary.ShouldContain("guest-c");

        // The verdicts per direction, from the summary's rows (phase 1, 2, 3 columns).
        var aIn = SummaryRow(summary, "guest-a", "in", "50M");
        var bIn = SummaryRow(summary, "guest-b", "in", "30M");
        var aOut = SummaryRow(summary, "guest-a", "out", "40M");
        aIn[2].Verdict.ShouldBe("held", summary);
        bIn[2].Verdict.ShouldBe("held", summary);
        aOut[2].Verdict.ShouldBe("held", summary);
        aOut[2].Mbit.ShouldBeGreaterThanOrEqualTo(0.93 * 40, summary);
        text.ShouldContain("phase 3 out goodput over 4 s: guest-a");
        text.ShouldContain("of floor 40M, held)");

        // Outbound follows what is applied, not just the verdict's arithmetic: in phase 2 every guest is
        // capped at 33M out of the guests (the 100M outbound.average / 3), so guest-a's 40M floor is
        // missed there, and no guest gets more than a 33M cap carries. Without outbound shaping the three
        // share the 110M uplink and at least one of them gets well over 33M.
        aOut[1].Verdict.ShouldBe("MISSED", summary);
        foreach (var guest in new[] { "guest-a", "guest-b", "guest-c" })
        {
            SummaryRow(summary, guest, "out", guest == "guest-a" ? "40M" : "-")[1].Mbit.ShouldBeLessThanOrEqualTo(33.0, summary);
        }

        var (width, height) = PngSize(png);
        width.ShouldBe(DemoChart.Width);
        height.ShouldBe(DemoChart.Height);
        NothingLeftBehind();
    }

    [RootFact]
    public async Task Demo_interrupted_in_phase_2_removes_everything_it_made()
    {
        var png = Path.Combine(_dir, "chart.png");
        var buffer = new StringWriter();
        var stdout = TextWriter.Synchronized(buffer);

        // SyncTextWriter's members lock the writer itself: read the buffer under the same lock.
        string Output()
        {
            lock (stdout)
            {
                return buffer.ToString();
            }
        }

        var stderr = new StringWriter();
        using var cancel = new CancellationTokenSource();
        var run = DemoCommand.RunAsync(["--seconds", "5", "--png", png], stdout, stderr, terminal: false, cancel.Token, _prefix);

        // Poll until phase 2's outbound traffic is flowing (its first per-second line: one run per guest,
        // listeners on the external host), then interrupt.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (!Output().Contains("  phase 2 out t=", StringComparison.Ordinal))
        {
            run.IsCompleted.ShouldBeFalse(Output() + stderr);
            DateTime.UtcNow.ShouldBeLessThan(deadline, Output());
            await Task.Delay(50);
        }

        NetworkNamespace.List().ShouldContain(_prefix + "host", "the demo is running");
        await cancel.CancelAsync();
        var code = await run.WaitAsync(TimeSpan.FromSeconds(30));
        log.WriteLine(Output());

        code.ShouldBe(DemoCommand.Interrupted, stderr.ToString());
        stderr.ToString().ShouldContain("interrupted");
        Output().ShouldNotContain("Phase 3/3");
        File.Exists(png).ShouldBeFalse();
        NothingLeftBehind();
    }

    [RootFact]
    public async Task Demo_refuses_to_start_when_its_namespace_names_are_taken()
    {
        using var squatter = NetworkNamespace.CreateNamed(_prefix + "g2");
        var stderr = new StringWriter();
        var code = await DemoCommand.RunAsync(["--seconds", "1", "--png", Path.Combine(_dir, "x.png")], new StringWriter(), stderr, terminal: false, CancellationToken.None, _prefix);

        code.ShouldBe(1);
        stderr.ToString().ShouldContain($"{_prefix}g2 exist already");
        NetworkNamespace.List().Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)).ShouldBe([squatter.Name], "nothing else was created");
    }

    /// <summary>One row of the summary (guest, direction, floor), as (goodput in Mbit/s, verdict or null) per phase.</summary>
    private static List<(double Mbit, string? Verdict)> SummaryRow(string summary, string guest, string direction, string floor)
    {
        var line = summary.Split('\n').SingleOrDefault(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var g, var d, var f, ..] && g == guest && d == direction && f == floor);
        line.ShouldNotBeNull($"no summary row for {guest} {direction} {floor}:\n{summary}");
        var cells = System.Text.RegularExpressions.Regex.Matches(line, @"(\d+\.\d) Mbit/s(?:\s+\d+% (held|MISSED))?");
        cells.Count.ShouldBe(3, line);
        return [.. cells.Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Success ? m.Groups[2].Value : null))];
    }

    private void NothingLeftBehind()
    {
        // `ip netns list`, not just our own view of /var/run/netns.
        HostCommand.Run("ip", "netns", "list").ShouldNotContain(_prefix);
        RootLinks().ShouldBe(_linksBefore, ignoreOrder: true);
        ChildProcesses().Except(_childrenBefore).ShouldBeEmpty("no process the demo started is still running");
    }

    private static HashSet<string> RootLinks() =>
        [.. HostCommand.Run("ip", "-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[1].Trim().Split('@')[0])];

    private static HashSet<int> ChildProcesses()
    {
        var me = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var children = new HashSet<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == me)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return children;
    }

    /// <summary>Checks the PNG signature and the IHDR chunk, and returns the image's size.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        File.Exists(path).ShouldBeTrue(path);
        var bytes = File.ReadAllBytes(path);
        bytes.Length.ShouldBeGreaterThan(33);
        bytes[..8].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)).ShouldBe(13u, "IHDR is 13 bytes");
        System.Text.Encoding.ASCII.GetString(bytes, 12, 4).ShouldBe("IHDR");
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)));
    }
}
