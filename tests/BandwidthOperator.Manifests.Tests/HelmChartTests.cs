using System.Text.Json.Nodes;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary><c>helm lint</c> and <c>helm template</c> of charts/bandwidth-operator with a real helm.</summary>
public sealed class HelmChartTests
{
    private static readonly string ValuesAll = Path.Combine(RepositoryPaths.TestData, "values-all.yaml");

    internal static ManifestSet Render(params string[] arguments) =>
        ManifestSet.FromYaml(Helm.Template(arguments).ShouldSucceed().StandardOutput, "helm template");

    private static Dictionary<string, string> Env(JsonObject container) =>
        container["env"]!.AsArray().OfType<JsonObject>().Where(e => e["value"] is not null)
            .ToDictionary(e => (string)e["name"]!, e => (string)e["value"]!);

    [Fact]
    public void Lint_passes_with_default_values() => Helm.Lint().ShouldSucceed();

    [Fact]
    public void Lint_passes_with_every_value_set() => Helm.Lint(ValuesAll).ShouldSucceed();

    [Fact]
    public void Default_values_render_a_locked_down_agent()
    {
        var rendered = Render();
        var daemonSet = rendered.Single("DaemonSet", AgentDaemonSetExpectations.Name);
        AgentDaemonSetExpectations.ShouldBeLockedDown(daemonSet);

        var pod = AgentDaemonSetExpectations.PodSpec(daemonSet);
        ((string?)pod["priorityClassName"]).ShouldBe("system-node-critical");
        pod["tolerations"]!.AsArray().Select(t => t!.ToJsonString()).ShouldBe(["{\"operator\":\"Exists\"}"]);
        ((string?)pod["nodeSelector"]!["kubernetes.io/os"]).ShouldBe("linux");

        var container = AgentDaemonSetExpectations.Container(daemonSet);
        ((string?)container["image"]).ShouldBe("ghcr.io/bandwidthoperator/bandwidth-operator:0.1.0", "the tag defaults to appVersion");
        ((string?)container["imagePullPolicy"]).ShouldBe("IfNotPresent");
        ((string?)container["resources"]!["limits"]!["memory"]).ShouldBe("192Mi");
        var env = Env(container);
        env["Logging__LogLevel__Default"].ShouldBe("Information");
        env["Agent__ResyncPeriod"].ShouldBe("00:05:00");
        env["Agent__Metrics__Enabled"].ShouldBe("true");
        env["Agent__Metrics__Port"].ShouldBe("9090");

        rendered.Single("Service", "bandwidth-operator-agent-metrics");
        rendered.OfKind("ServiceMonitor").ShouldBeEmpty("the ServiceMonitor is off by default");
        daemonSet["spec"]!["template"]!["metadata"]!["annotations"].ShouldBeNull();
    }

    [Fact]
    public void Every_value_takes_effect()
    {
        var rendered = Render("-f", ValuesAll);
        var daemonSet = rendered.Single("DaemonSet", AgentDaemonSetExpectations.Name);
        AgentDaemonSetExpectations.ShouldBeLockedDown(daemonSet);
        var pod = AgentDaemonSetExpectations.PodSpec(daemonSet);
        var container = AgentDaemonSetExpectations.Container(daemonSet);

        ((string?)container["image"]).ShouldBe("registry.example.com/net/bandwidth-operator:0.2.0-rc.1");
        ((string?)container["imagePullPolicy"]).ShouldBe("Always");
        ((string?)pod["nodeSelector"]!["bandwidthoperator.io/agent"]).ShouldBe("true");
        ((string?)pod["nodeSelector"]!["kubernetes.io/os"]).ShouldBe("linux");
        var tolerations = pod["tolerations"]!.AsArray().OfType<JsonObject>().ToList();
        tolerations.Count.ShouldBe(2);
        ((string?)tolerations[1]["key"]).ShouldBe("dedicated");
        ((long?)tolerations[1]["tolerationSeconds"]).ShouldBe(300);
        ((string?)container["resources"]!["requests"]!["cpu"]).ShouldBe("100m");
        ((string?)container["resources"]!["requests"]!["memory"]).ShouldBe("96Mi");
        ((string?)container["resources"]!["limits"]!["cpu"]).ShouldBe("1");
        ((string?)container["resources"]!["limits"]!["memory"]).ShouldBe("256Mi");
        ((string?)pod["priorityClassName"]).ShouldBe("bandwidth-critical");
        var annotations = daemonSet["spec"]!["template"]!["metadata"]!["annotations"]!;
        ((string?)annotations["example.com/team"]).ShouldBe("networking");
        ((string?)annotations["prometheus.io/scrape"]).ShouldBe("false");

        var env = Env(container);
        env["Logging__LogLevel__Default"].ShouldBe("Debug");
        env["Agent__ResyncPeriod"].ShouldBe("00:01:30");
        env["Agent__Metrics__Port"].ShouldBe("9191");
        container["ports"]!.AsArray().OfType<JsonObject>().Single(p => (string?)p["name"] == "metrics")["containerPort"]!.GetValue<int>().ShouldBe(9191);

        var service = rendered.Single("Service", "bandwidth-operator-agent-metrics");
        service["spec"]!["ports"]![0]!["port"]!.GetValue<int>().ShouldBe(9191);

        var monitor = rendered.Single("ServiceMonitor", "bandwidth-operator-agent");
        ((string?)monitor["apiVersion"]).ShouldBe("monitoring.coreos.com/v1");
        ((string?)monitor["spec"]!["endpoints"]![0]!["interval"]).ShouldBe("15s");
        ((string?)monitor["spec"]!["endpoints"]![0]!["port"]).ShouldBe("metrics");
        monitor["spec"]!["selector"]!["matchLabels"]!.ToJsonString().ShouldBe(service["spec"]!["selector"]!.ToJsonString());
    }

    [Fact]
    public void Metrics_disabled_renders_no_metrics_port_service_or_monitor()
    {
        var rendered = Render("--set", "metrics.enabled=false", "--set", "metrics.serviceMonitor.enabled=true");
        rendered.OfKind("Service").ShouldBeEmpty();
        rendered.OfKind("ServiceMonitor").ShouldBeEmpty();
        var daemonSet = rendered.Single("DaemonSet", AgentDaemonSetExpectations.Name);
        AgentDaemonSetExpectations.ShouldBeLockedDown(daemonSet);
        var container = AgentDaemonSetExpectations.Container(daemonSet);
        container["ports"]!.AsArray().Select(p => (string?)p!["name"]).ShouldBe(["http"]);
        Env(container)["Agent__Metrics__Enabled"].ShouldBe("false");
    }

    [Theory]
    [InlineData("logLevel=Loud", "logLevel")]
    [InlineData("resyncPeriod=5m", "resyncPeriod")]
    [InlineData("image.pullPolicy=Sometimes", "pullPolicy")]
    [InlineData("metrics.port=8080", "port")]
    [InlineData("unknownOption=1", "unknownOption")]
    public void Values_schema_rejects_bad_values(string setting, string field)
    {
        var result = Helm.Template("--set", setting);
        result.ExitCode.ShouldNotBe(0, $"helm accepted --set {setting}");
        result.StandardError.ShouldContain(field, Case.Sensitive, $"the error should name {field}");
    }

    [Fact]
    public void Release_names_other_than_the_chart_name_prefix_every_object()
    {
        var rendered = ManifestSet.FromYaml(
            Helm.Run("template", "edge", RepositoryPaths.Chart, "--namespace", "net").ShouldSucceed().StandardOutput, "helm template edge");
        rendered.Objects.Select(ManifestSet.Name).ShouldAllBe(n => n.StartsWith("edge-bandwidth-operator", StringComparison.Ordinal));
        var binding = rendered.Single("ClusterRoleBinding", "edge-bandwidth-operator-agent");
        ((string?)binding["subjects"]![0]!["namespace"]).ShouldBe("net");
    }

    [Fact]
    public void Notes_render_for_a_client_side_dry_run_install()
    {
        var result = Helm.Run("install", Helm.ReleaseName, RepositoryPaths.Chart, "--namespace", Helm.Namespace, "--dry-run=client", "-f", ValuesAll)
            .ShouldSucceed();
        result.StandardOutput.ShouldContain("NOTES:");
        result.StandardOutput.ShouldContain("rollout status daemonset/bandwidth-operator-agent");
        result.StandardOutput.ShouldContain("Metrics: port 9191");
    }
}
