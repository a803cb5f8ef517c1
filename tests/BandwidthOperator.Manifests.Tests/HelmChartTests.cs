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
        env["Agent__HealthPort"].ShouldBe("13080");
        env["Agent__Metrics__Port"].ShouldBe("13090");
        env["Agent__Metrics__Secure"].ShouldBe("false", "metrics on 127.0.0.1 by default");
        container["args"]!.AsArray().Select(a => (string?)a).ShouldBe(["agent", "--log-format", "text"]);
        pod["imagePullSecrets"].ShouldBeNull();
        pod["affinity"].ShouldBeNull();

        rendered.OfKind("Service").ShouldBeEmpty("metrics listen on 127.0.0.1: nothing to put behind a Service");
        rendered.OfKind("ServiceMonitor").ShouldBeEmpty("the ServiceMonitor is off by default");
        rendered.OfKind("PrometheusRule").ShouldBeEmpty("alerts are off by default");
        rendered.OfKind("ConfigMap").ShouldBeEmpty("the dashboard is off by default");
        rendered.Single("ValidatingAdmissionPolicy", "bandwidth-operator-agent-own-node");
        rendered.Single("ValidatingAdmissionPolicyBinding", "bandwidth-operator-agent-own-node");
        rendered.Single("ValidatingAdmissionPolicy", "bandwidth-operator-agent-own-node-status");
        rendered.Single("ValidatingAdmissionPolicyBinding", "bandwidth-operator-agent-own-node-status");
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
        env["Agent__Metrics__Secure"].ShouldBe("true");
        env["Agent__HealthPort"].ShouldBe("19080");
        env["Agent__RequeueMaxDelay"].ShouldBe("00:05:00");
        ((string?)container["env"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["name"] == "HTTPS_PROXY")["valueFrom"]!["configMapKeyRef"]!["name"]).ShouldBe("proxy");
        container["args"]!.AsArray().Select(a => (string?)a).ShouldBe(["agent", "--log-format", "json"]);
        pod["imagePullSecrets"]!.ToJsonString().ShouldBe("[{\"name\":\"regcred\"}]");
        ((string?)pod["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!["key"]).ShouldBe("node.example.com/pool");
        var ports = container["ports"]!.AsArray().OfType<JsonObject>().ToDictionary(p => (string)p["name"]!, p => p["containerPort"]!.GetValue<int>());
        ports.ShouldBe(new Dictionary<string, int> { ["health"] = 19080, ["metrics"] = 9191 });

        var service = rendered.Single("Service", "bandwidth-operator-agent-metrics");
        service["spec"]!["ports"]![0]!["port"]!.GetValue<int>().ShouldBe(9191);

        var monitor = rendered.Single("ServiceMonitor", "bandwidth-operator-agent");
        ((string?)monitor["apiVersion"]).ShouldBe("monitoring.coreos.com/v1");
        ((string?)monitor["spec"]!["endpoints"]![0]!["interval"]).ShouldBe("15s");
        ((string?)monitor["spec"]!["endpoints"]![0]!["port"]).ShouldBe("metrics");
        ((string?)monitor["spec"]!["endpoints"]![0]!["scheme"]).ShouldBe("https");
        ((string?)monitor["spec"]!["endpoints"]![0]!["bearerTokenFile"]).ShouldBe("/var/run/secrets/kubernetes.io/serviceaccount/token");
        monitor["spec"]!["selector"]!["matchLabels"]!.ToJsonString().ShouldBe(service["spec"]!["selector"]!.ToJsonString());

        RbacRules.Grants(rendered.Single("ClusterRole", "bandwidth-operator-agent-metrics-auth")).ShouldBe(
            ["authentication.k8s.io/tokenreviews:create", "authorization.k8s.io/subjectaccessreviews:create"], ignoreOrder: true);
        var reader = rendered.Single("ClusterRole", "bandwidth-operator-metrics-reader");
        reader["rules"]!.ToJsonString().ShouldBe("[{\"nonResourceURLs\":[\"/metrics\"],\"verbs\":[\"get\"]}]");
        var authBinding = rendered.Single("ClusterRoleBinding", "bandwidth-operator-agent-metrics-auth");
        ((string?)authBinding["subjects"]![0]!["name"]).ShouldBe("bandwidth-operator-agent");
        RbacRules.Grants(rendered.Single("ClusterRole", "bandwidth-operator-agent")).ShouldNotContain("authentication.k8s.io/tokenreviews:create",
            "the agent's main role holds exactly what every agent calls");

        var dashboard = rendered.Single("ConfigMap", "bandwidth-operator-dashboard");
        ((string?)dashboard["metadata"]!["labels"]!["team"]).ShouldBe("networking");
        ((string?)dashboard["metadata"]!["labels"]!["grafana_dashboard"]).ShouldBe("1");
        var rule = rendered.Single("PrometheusRule", "bandwidth-operator");
        ((string?)rule["metadata"]!["labels"]!["release"]).ShouldBe("kube-prometheus-stack");
        var alerts = rule["spec"]!["groups"]![0]!["rules"]!.AsArray().OfType<JsonObject>().ToDictionary(a => (string)a["alert"]!);
        ((string?)alerts["BandwidthFloorRefused"]["for"]).ShouldBe("15m");
        ((string?)alerts["BandwidthBridgeNotReady"]["for"]).ShouldBe("3m");
        ((string?)alerts["BandwidthReconcileErrors"]["expr"]).ShouldEndWith("> 0.05");
        rendered.Single("ValidatingAdmissionPolicy", "bandwidth-operator-agent-own-node");
    }

    [Fact]
    public void Metrics_disabled_renders_no_metrics_port_service_or_monitor()
    {
        var rendered = Render("--set", "metrics.enabled=false", "--set", "metrics.secure=true");
        rendered.OfKind("Service").ShouldBeEmpty();
        rendered.OfKind("ServiceMonitor").ShouldBeEmpty();
        var daemonSet = rendered.Single("DaemonSet", AgentDaemonSetExpectations.Name);
        AgentDaemonSetExpectations.ShouldBeLockedDown(daemonSet);
        var container = AgentDaemonSetExpectations.Container(daemonSet);
        container["ports"]!.AsArray().Select(p => (string?)p!["name"]).ShouldBe(["health"]);
        rendered.OfKind("ClusterRole").Select(ManifestSet.Name).ShouldNotContain("bandwidth-operator-metrics-reader");
        Env(container)["Agent__Metrics__Enabled"].ShouldBe("false");
    }

    [Theory]
    [InlineData("logLevel=Loud", "at '/logLevel': value must be one of 'Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical', 'None'")]
    [InlineData("logFormat=xml", "at '/logFormat': value must be one of 'text', 'json'")]
    [InlineData("resyncPeriod=5m", "at '/resyncPeriod'")]
    [InlineData("image.pullPolicy=Sometimes", "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'")]
    [InlineData("metrics.port=0", "at '/metrics/port': minimum: got 0, want 1")]
    [InlineData("health.port=70000", "at '/health/port': maximum: got 70,000, want 65,535")]
    [InlineData("healthPort=9000", "additional properties 'healthPort' not allowed")]
    [InlineData("unknownOption=1", "additional properties 'unknownOption' not allowed")]
    [InlineData("monitoring.alerts.floorRefusedFor=ten", "at '/monitoring/alerts/floorRefusedFor'")]
    [InlineData("metrics.port=13080", "metrics.port and health.port are both 13080: the agent binds each on the node (host network), so they must differ")]
    [InlineData("metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.enabled needs metrics.enabled=true and metrics.secure=true")]
    [InlineData("extraEnv[0].name=NODE_NAME", "extraEnv sets NODE_NAME, which the chart sets from its values")]
    public void Values_errors_name_the_value_and_say_what_is_wrong(string setting, string message)
    {
        var result = Helm.Template("--set", setting);
        result.ExitCode.ShouldNotBe(0, $"helm accepted --set {setting}");
        result.StandardError.ShouldContain(message, Case.Sensitive);
        result.StandardError.ShouldNotContain("'not' failed", Case.Sensitive, "no cryptic schema keywords");
        result.StandardError.ShouldNotContain("anyOf", Case.Sensitive);
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
        result.StandardOutput.ShouldContain("Metrics: HTTPS on port 9191 of each node");
        result.StandardOutput.ShouldContain("kubectl label namespace bandwidth-operator-system pod-security.kubernetes.io/enforce=privileged");
    }
}
