using BandwidthOperator.Agent.Hosting;
using System.Text.RegularExpressions;
using BandwidthOperator.Agent.Tests.Hosting;
using BandwidthOperator.ApiServerDouble;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>What the agent's log says when a reconcile fails: one line per failure, with the attempt, the cause and the next try.</summary>
[Collection(KernelCollection.Name)]
public sealed class AgentLogTests
{
    [RootFact]
    public async Task A_failing_reconcile_is_one_warning_line_with_the_attempt_the_cause_and_the_next_try()
    {
        using var logs = new CapturingLoggerProvider();
        await using var f = await AgentFixture.StartAsync(1, "log1", logs: logs);
        // Status writes refused with 403 (not transient: no retry inside the writer), three times.
        using var refuse = f.Api.Faults.FailNext(3, 403, RequestFilter.StatusWrites);
        f.SeedNetwork("100M");
        f.SeedInterface("vm-a", f.Topology.Guests[0], "30M");
        await f.Api.WaitForAsync(ResourceType.InterfaceBandwidths, "tenant-a", "vm-a", o => StatusOf.ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        var text = logs.Render(new OneLineFormatterOptions());
        var failures = text.Split('\n').Where(l => l.Contains("AgentService[4]", StringComparison.Ordinal)).ToList();
        failures.Count.ShouldBeGreaterThanOrEqualTo(1, text);
        failures.Count.ShouldBeLessThanOrEqualTo(3, text);
        var line = new Regex(@" warn: BandwidthOperator\.Agent\.Hosting\.AgentService\[4\] Reconcile of (?<key>\S+) on node-a failed \(attempt (?<attempt>\d+)\): " +
            @"HttpOperationException: 403 Forbidden: injected fault: forbidden; next try in [0-9.]+m?s$");
        var parsed = failures.Select(l => line.Match(l)).ToList();
        parsed.ShouldAllBe(m => m.Success, text);
        // Attempts count per key (each key has its own backoff): 1, 2, … in order.
        foreach (var key in parsed.GroupBy(m => m.Groups["key"].Value))
        {
            key.Select(m => int.Parse(m.Groups["attempt"].Value, System.Globalization.CultureInfo.InvariantCulture))
                .ShouldBe(Enumerable.Range(1, key.Count()), $"attempts of {key.Key}");
        }

        text.ShouldNotContain("   at ", Case.Sensitive, "no stack trace below Debug");
        Regex.Count(text, @"Reconcile of \S+ on node-a failed").ShouldBe(failures.Count, "one line per failure, nothing else about it");
    }
}
