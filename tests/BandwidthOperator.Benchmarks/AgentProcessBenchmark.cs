using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Benchmarks;

/// <summary>
/// The real agent (<c>bandwidth-operator agent</c>, published as the Dockerfile does) as a child process against the
/// in-process API-server double, shaping a bridge in a fresh network namespace: how long until every
/// InterfaceBandwidth is Ready, its memory then (VmRSS, VmHWM from /proc), and its CPU while nothing
/// changes. Each variant is a set of runtime environment settings; "baseline" is the agent as shipped.
/// </summary>
internal static class AgentProcessBenchmark
{
    private const string Node = "bench-node";
    private const string Network = "bench-net";

    /// <param name="Dll">Another build of the agent (for a before/after in the same run); null: this tree's agent, published (<see cref="PublishAgent"/>).</param>
    public sealed record Variant(string Name, IReadOnlyDictionary<string, string> Environment, string? Dll = null);

    public sealed record Result(string Variant, int Interfaces, double ReadySeconds, long ReadyRssKiB, long RssKiB, long HwmKiB, double IdleCpuPercent, double IdleSeconds, long ApiRequests)
    {
        /// <summary>Where the resident memory is at the end (from /proc/PID/smaps), largest first; empty unless asked for.</summary>
        public IReadOnlyList<(string Mapping, long RssKiB)> Breakdown { get; init; } = [];
    }

    /// <param name="idle">How long to wait after all are Ready, nothing changing, before memory is read again (RssKiB); CPU is measured over it.</param>
    public static async Task<Result> RunAsync(Variant variant, int interfaces, TimeSpan latency, TimeSpan idle, bool breakdown = false)
    {
        await using var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromSeconds(30) });
        api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = Node, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = Node } },
        });
        api.Seed(new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "BridgeNetwork",
            ["metadata"] = new JsonObject { ["name"] = Network },
            // MACs named by hand (no spec.target): every namespace may (rawMacNamespaceSelector {}).
            ["spec"] = new JsonObject { ["bridge"] = "br0", ["inbound"] = new JsonObject { ["average"] = "100G" }, ["rawMacNamespaceSelector"] = new JsonObject() },
        });
        for (var i = 0; i < interfaces; i++)
        {
            api.Seed(new JsonObject
            {
                ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
                ["kind"] = "InterfaceBandwidth",
                ["metadata"] = new JsonObject { ["name"] = $"vm-{i:D5}", ["namespace"] = "bench" },
                ["spec"] = new JsonObject
                {
                    ["network"] = Network,
                    ["nodeName"] = Node,
                    ["macAddress"] = string.Create(CultureInfo.InvariantCulture, $"52:54:00:{(i >> 16) & 0xFF:x2}:{(i >> 8) & 0xFF:x2}:{i & 0xFF:x2}"),
                    ["inbound"] = new JsonObject { ["floor"] = "10M" },
                },
            });
        }

        api.AddToken("bench", BandwidthOperator.ApiServerDouble.Admission.AdmissionUser.Admin);
        using var slow = latency > TimeSpan.Zero ? api.Faults.AddLatency(latency) : null;
        using var ns = NetworkNamespace.Create("agbench");
        ns.IpBatch(["link add br0 type bridge", "link set br0 up"]);
        var dir = Directory.CreateTempSubdirectory("bwo-bench-");
        try
        {
            var kubeconfig = Path.Combine(dir.FullName, "kubeconfig");
            File.WriteAllText(kubeconfig, $$"""
                apiVersion: v1
                kind: Config
                clusters:
                - name: double
                  cluster: {server: "{{api.Url}}"}
                users:
                - name: admin
                  user: {token: bench}
                contexts:
                - name: double
                  context: {cluster: double, user: admin}
                current-context: double
                """);
            using var agent = StartAgent(variant.Dll, kubeconfig, ns.Path, variant.Environment);
            var started = Stopwatch.StartNew();
            try
            {
                var deadline = TimeSpan.FromSeconds(30 + (interfaces / 20));
                while (ReadyCount(api) < interfaces)
                {
                    if (agent.HasExited)
                    {
                        throw new InvalidOperationException($"the agent exited ({agent.ExitCode}) before all were Ready");
                    }

                    if (started.Elapsed > deadline)
                    {
                        throw new TimeoutException($"{ReadyCount(api)} of {interfaces} Ready after {deadline}");
                    }

                    await Task.Delay(100);
                }

                var ready = started.Elapsed.TotalSeconds;
                var requestsAtReady = api.Requests.Snapshot().Count;
                var (readyRss, _) = Memory(agent.Id);
                var (rss, hwm) = (readyRss, 0L);
                var cpu = double.NaN;
                if (idle > TimeSpan.Zero)
                {
                    var before = CpuTicks(agent.Id);
                    var clock = Stopwatch.StartNew();
                    await Task.Delay(idle);
                    var ticks = CpuTicks(agent.Id) - before;
                    cpu = 100.0 * ticks / 100.0 / clock.Elapsed.TotalSeconds; // USER_HZ is 100 on Linux
                }

                (rss, hwm) = Memory(agent.Id);

                return new Result(variant.Name, interfaces, ready, readyRss, rss, hwm, cpu, idle.TotalSeconds, requestsAtReady)
                {
                    Breakdown = breakdown ? Resident(agent.Id) : [],
                };
            }
            finally
            {
                if (!agent.HasExited)
                {
                    agent.Kill(entireProcessTree: true);
                    await agent.WaitForExitAsync();
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Where <see cref="PublishAgent"/> puts this tree's agent (the project's default publish folder).</summary>
    public static string PublishDir => Testing.RepositoryRoot.Combine("src", "BandwidthOperator", "bin", "Release", "net10.0", "publish");

    /// <summary>
    /// Publishes this tree's agent as the Dockerfile does (<c>dotnet publish -c Release</c>: ReadyToRun,
    /// the runtimeconfig's settings), so what is measured is what the image ships.
    /// </summary>
    public static void PublishAgent()
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { "publish", Testing.RepositoryRoot.Combine("src", "BandwidthOperator", "BandwidthOperator.csproj"), "-c", "Release", "-o", PublishDir, "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(a);
        }

        using var publish = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet publish");
        var output = publish.StandardOutput.ReadToEnd();
        publish.WaitForExit();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish src/BandwidthOperator failed ({publish.ExitCode}):\n{output}");
        }
    }

    private static int ReadyCount(KubeApiServerDouble api) =>
        api.List(ResourceType.InterfaceBandwidths, "bench").Count(o =>
            o["status"]?["conditions"] is JsonArray conditions
            && conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True"));

    private static Process StartAgent(string? other, string kubeconfig, string netns, IReadOnlyDictionary<string, string> environment)
    {
        var dll = other ?? Path.Combine(PublishDir, "bandwidth-operator.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"publish the agent first: {dll} is missing");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "agent", "--node", Node, "--kubeconfig", kubeconfig, "--netns", netns })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["Agent__HealthPort"] = "0";
        start.Environment["Agent__Metrics__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the agent");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("  agent: " + e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("  agent: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static (long Rss, long Hwm) Memory(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kib(line);
            }
        }

        return (rss, hwm);

        static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Resident memory by mapping from /proc/PID/smaps: each file by its name (the runtime's and the
    /// assemblies' images), the JIT's double-mapped code (<c>/memfd:doublemapper</c>), and anonymous memory
    /// (the GC's regions and bookkeeping, the runtime's and the JIT's native allocations, thread stacks).
    /// </summary>
    private static List<(string Mapping, long RssKiB)> Resident(int pid)
    {
        var totals = new Dictionary<string, long>();
        var current = "";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                current = fields.Length == 6 ? Path.GetFileName(fields[5].Trim()) : "(anonymous)";
                current = current.StartsWith("doublemapper", StringComparison.Ordinal) ? "(JIT code, doublemapper)" : current;
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                totals[current] = totals.GetValueOrDefault(current) + long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        return [.. totals.Select(t => (t.Key, t.Value)).OrderByDescending(t => t.Value)];
    }

    /// <summary>utime + stime of the process (fields 14 and 15 of /proc/PID/stat, after the command in parentheses).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
