using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Hosting;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.ApiServerDouble;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Tests.Hosting;

public sealed partial class OneLineConsoleFormatterTests
{
    private static readonly string[] StackLines = ["   at "];

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Watch of {Kind} failed (attempt {Attempt}); next try in {Delay}")]
    private static partial void WatchFailed(ILogger logger, string kind, int attempt, TimeSpan delay, Exception exception);

    private static HttpRequestException Thrown()
    {
        try
        {
            try
            {
                throw new IOException("Connection refused\nby 127.0.0.1:6443");
            }
            catch (IOException inner)
            {
                throw new HttpRequestException("Connection refused (127.0.0.1:6443)", inner);
            }
        }
        catch (HttpRequestException e)
        {
            return e;
        }
    }

    private static string Log(OneLineFormatterOptions options)
    {
        using var capture = new CapturingLoggerProvider();
        WatchFailed(capture.CreateLogger("BandwidthOperator.Agent.Watching.ResourceWatcher"), "BridgeNetwork", 3, TimeSpan.FromMilliseconds(1600), Thrown());
        return capture.Render(options);
    }

    [Fact]
    public void A_transient_error_is_one_line_saying_what_failed_the_attempt_the_next_try_and_why()
    {
        var text = Log(new OneLineFormatterOptions());
        text.Count(c => c == '\n').ShouldBe(1, text);
        text.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn: BandwidthOperator\.Agent\.Watching\.ResourceWatcher\[9\] " +
            @"Watch of BridgeNetwork failed \(attempt 3\); next try in 1\.6s — HttpRequestException: Connection refused \(127\.0\.0\.1:6443\) ← IOException: Connection refused by 127\.0\.0\.1:6443\n$");
    }

    [Fact]
    public void Stack_traces_appear_only_when_asked_for_at_debug()
    {
        Log(new OneLineFormatterOptions { StackTraces = true }).ShouldContain(StackLines[0]);
        Log(new OneLineFormatterOptions { StackTraces = false }).ShouldNotContain(StackLines[0]);
    }

    [Fact]
    public void Json_is_one_object_per_line_with_the_structured_fields()
    {
        var text = Log(new OneLineFormatterOptions { Format = AgentLogFormat.Json });
        text.Count(c => c == '\n').ShouldBe(1);
        var o = JsonNode.Parse(text)!.AsObject();
        ((string?)o["level"]).ShouldBe("Warning");
        ((string?)o["category"]).ShouldBe("BandwidthOperator.Agent.Watching.ResourceWatcher");
        ((int?)o["eventId"]).ShouldBe(9);
        ((string?)o["message"]).ShouldBe("Watch of BridgeNetwork failed (attempt 3); next try in 1.6s");
        ((string?)o["kind"]).ShouldBe("BridgeNetwork");
        ((int?)o["attempt"]).ShouldBe(3);
        ((double?)o["delaySeconds"]).ShouldBe(1.6);
        ((string?)o["error"]).ShouldStartWith("HttpRequestException: Connection refused (127.0.0.1:6443)");
        o.ContainsKey("stackTrace").ShouldBeFalse();
        JsonNode.Parse(Log(new OneLineFormatterOptions { Format = AgentLogFormat.Json, StackTraces = true }))!["stackTrace"]!.GetValue<string>().ShouldContain(StackLines[0]);
    }

    [Theory]
    [InlineData(200, "200ms")]
    [InlineData(1600, "1.6s")]
    [InlineData(120_000, "2m")]
    [InlineData(90_000, "1m30s")]
    [InlineData(5_400_000, "1h30m")]
    public void Durations_read_as_a_person_says_them(int milliseconds, string expected) =>
        OneLineConsoleFormatter.Duration(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(expected);

    /// <summary>
    /// The agent against an API server that refuses its first lists (503, as in transcript-shaped faults):
    /// each failed attempt is one warning line with the attempt and the next try, and no stack trace.
    /// </summary>
    [Fact]
    public async Task An_api_server_that_is_away_gives_one_line_per_retry()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var refuse = api.Faults.FailNext(4, 503, new RequestFilter(Verb: "list"), retryAfterSeconds: 0);
        using var client = KubeApi.Create(api.ClientConfiguration());
        using var kernel = BandwidthOperator.Agent.Engine.NetlinkNodeKernel.Open();
        using var capture = new CapturingLoggerProvider();
        using var host = AgentHost.Build(new AgentIdentity("node-a"), client, kernel,
            c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Agent:HealthPort"] = "0", ["Agent:Metrics:Enabled"] = "false" }),
            logging: l =>
            {
                l.ClearProviders();
                l.AddProvider(capture);
            });
        var health = host.Services.GetRequiredService<BandwidthOperator.Agent.Health.AgentHealth>();
        await host.StartAsync();
        try
        {
            await EndToEnd.AgentFixture.UntilAsync(() => health.Ready, "the agent to list both kinds after the refusals", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await host.StopAsync();
        }

        var text = capture.Render(new OneLineFormatterOptions());
        var failures = text.Split('\n').Where(l => l.Contains(" failed (attempt ", StringComparison.Ordinal)).ToList();
        failures.Count.ShouldBe(4, text);
        failures.ShouldAllBe(l => System.Text.RegularExpressions.Regex.IsMatch(l,
            @" warn: .*Watch of (BridgeNetwork|InterfaceBandwidth|Pod|VirtualMachineInstance|Node) failed \(attempt [1-4]\); next try in [0-9.]+m?s — HttpOperationException: .*503"), text);
        text.ShouldNotContain(StackLines[0]);
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{4}-\d\d-\d\dT"), "one line per entry");
    }
}
