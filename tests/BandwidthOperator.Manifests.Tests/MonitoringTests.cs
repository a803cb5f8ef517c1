using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>The chart's Grafana dashboard and PrometheusRule: off by default, and built only on metrics the agent really exports.</summary>
public sealed partial class MonitoringTests
{
    private static readonly Lazy<ManifestSet> Rendered = new(() => HelmChartTests.Render(
        "--set", "monitoring.dashboard.enabled=true", "--set", "monitoring.alerts.enabled=true",
        "--set", "monitoring.alerts.floorRefusedFor=15m", "--set-json", "monitoring.alerts.reconcileErrorRate=0.05"));

    /// <summary>Every sample name the agent's exporter writes (a snapshot with one of everything, through the real writer).</summary>
    private static readonly Lazy<HashSet<string>> Exported = new(() =>
    {
        var text = PrometheusTextWriter.Write(new MetricsSnapshot(1, 1, 0.5, 1, 1, 1,
            [new InterfaceSample("ns", "vm", "net", "br0", 3, 1, 2, 3, 4)],
            [new BridgeSample("net", "br0", 1, 2, 1, true)],
            [new AdmissionSample("ns", "vm", "net", false, "FloorOvercommitted")]), "node-a");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Select(l => l[..l.IndexOf('{', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
    });

    private static JsonObject Dashboard()
    {
        var map = Rendered.Value.Single("ConfigMap", "bandwidth-operator-dashboard");
        ((string?)map["metadata"]!["labels"]!["grafana_dashboard"]).ShouldBe("1");
        return JsonNode.Parse((string)map["data"]!["bandwidth-operator.json"]!)!.AsObject();
    }

    private static List<string> Expressions(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"] as JsonArray ?? []).Select(t => (string)t!["expr"]!).ToList();

    private static List<JsonObject> Alerts() =>
        Rendered.Value.Single("PrometheusRule", "bandwidth-operator")["spec"]!["groups"]![0]!["rules"]!.AsArray().OfType<JsonObject>().ToList();

    [Fact]
    public void Dashboard_and_alerts_are_off_by_default()
    {
        var rendered = HelmChartTests.Render();
        rendered.OfKind("ConfigMap").ShouldBeEmpty();
        rendered.OfKind("PrometheusRule").ShouldBeEmpty();
    }

    [Fact]
    public void Every_metric_the_dashboard_and_the_alerts_use_is_one_the_agent_exports()
    {
        var used = Expressions(Dashboard()).Concat(Alerts().Select(a => (string)a["expr"]!))
            .Concat(Dashboard()["templating"]!["list"]!.AsArray().Select(v => (string?)v!["definition"]).OfType<string>())
            .SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
        used.ShouldNotBeEmpty();
        used.Except(Exported.Value).ShouldBeEmpty($"the agent exports {string.Join(", ", Exported.Value.Order(StringComparer.Ordinal))}");
    }

    [Fact]
    public void The_dashboard_shows_floors_against_capacity_per_network_and_node_and_rate_against_floor_and_drops_per_interface()
    {
        var dashboard = Dashboard();
        var expressions = Expressions(dashboard);
        expressions.ShouldContain(e => e.Contains("bandwidth_operator_bridge_floor_sum_bits_per_second", StringComparison.Ordinal) && e.Contains("by (node, network)", StringComparison.Ordinal));
        expressions.ShouldContain(e => e.Contains("bandwidth_operator_bridge_capacity_bits_per_second", StringComparison.Ordinal) && e.Contains("by (node, network)", StringComparison.Ordinal));
        expressions.ShouldContain(e => e.StartsWith("8 * rate(bandwidth_operator_interface_bytes_total", StringComparison.Ordinal), "rate in bits per second");
        expressions.ShouldContain(e => e.StartsWith("bandwidth_operator_interface_floor_bits_per_second", StringComparison.Ordinal));
        expressions.ShouldContain(e => e.StartsWith("rate(bandwidth_operator_interface_drops_total", StringComparison.Ordinal));
        expressions.ShouldContain(e => e.Contains("bandwidth_operator_interface_floor_admitted", StringComparison.Ordinal) && e.EndsWith("== 0", StringComparison.Ordinal));
        dashboard["templating"]!["list"]!.AsArray().Select(v => (string?)v!["name"]).ShouldBe(["datasource", "network", "node", "interface"]);
        ((string?)dashboard["uid"]).ShouldBe("bandwidth-operator-floors");
    }

    [Fact]
    public void Alerts_fire_on_refused_floors_bridges_not_ready_and_reconcile_errors_with_the_values_thresholds()
    {
        var alerts = Alerts().ToDictionary(a => (string)a["alert"]!);
        alerts.Keys.ShouldBe(["BandwidthFloorRefused", "BandwidthBridgeNotReady", "BandwidthReconcileErrors"], ignoreOrder: true);
        ((string?)alerts["BandwidthFloorRefused"]["expr"]).ShouldBe("bandwidth_operator_interface_floor_admitted == 0");
        ((string?)alerts["BandwidthFloorRefused"]["for"]).ShouldBe("15m");
        ((string?)alerts["BandwidthBridgeNotReady"]["expr"]).ShouldBe("bandwidth_operator_bridge_ready == 0");
        ((string?)alerts["BandwidthBridgeNotReady"]["for"]).ShouldBe("5m");
        ((string?)alerts["BandwidthReconcileErrors"]["expr"]).ShouldBe("rate(bandwidth_operator_reconcile_errors_total[5m]) > 0.05");
        ((string?)alerts["BandwidthFloorRefused"]["annotations"]!["summary"]).ShouldBe("Floor of {{ $labels.namespace }}/{{ $labels.name }} refused on {{ $labels.node }}");
    }

    [GeneratedRegex(@"bandwidth_operator_[a-z_]+")]
    private static partial Regex MetricName();
}
