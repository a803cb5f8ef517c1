using System.Text.Json.Nodes;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>
/// The chart (default values, release <c>bandwidth-operator</c>) and <c>config/default</c> install the same
/// objects. Only the Namespace differs: kustomize creates it, helm installs into one (<c>--create-namespace</c>).
/// Labels differ too (helm adds its own); names, RBAC, CRDs and the agent's pod spec must not.
/// </summary>
public sealed class ChartKustomizeParityTests
{
    private static readonly Lazy<(ManifestSet Chart, ManifestSet Kustomize)> Rendered = new(() =>
        (HelmChartTests.Render(), KustomizeTests.RenderDefault().Without("Namespace")));

    private static ManifestSet Chart => Rendered.Value.Chart;

    private static ManifestSet Kustomize => Rendered.Value.Kustomize;

    [Fact]
    public void Same_kinds_and_names()
    {
        Chart.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal)
            .ShouldBe(Kustomize.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("bandwidth-operator-agent")]
    [InlineData("bandwidth-operator-viewer")]
    [InlineData("bandwidth-operator-editor")]
    public void Same_cluster_role_rules(string name)
    {
        var chart = Chart.Single("ClusterRole", name);
        var kustomize = Kustomize.Single("ClusterRole", name);
        chart["rules"]!.ToJsonString().ShouldBe(kustomize["rules"]!.ToJsonString());
        RbacRules.Grants(chart).ShouldBe(RbacRules.Grants(kustomize), ignoreOrder: true);
        AggregationLabels(chart).ShouldBe(AggregationLabels(kustomize));
    }

    [Fact]
    public void Same_cluster_role_binding()
    {
        var chart = Chart.Single("ClusterRoleBinding", "bandwidth-operator-agent");
        var kustomize = Kustomize.Single("ClusterRoleBinding", "bandwidth-operator-agent");
        JsonNode.DeepEquals(chart["roleRef"], kustomize["roleRef"]).ShouldBeTrue();
        JsonNode.DeepEquals(chart["subjects"], kustomize["subjects"]).ShouldBeTrue(
            $"chart {chart["subjects"]!.ToJsonString()} vs kustomize {kustomize["subjects"]!.ToJsonString()}");
    }

    [Theory]
    [InlineData("bridgenetworks.bandwidthoperator.io")]
    [InlineData("interfacebandwidths.bandwidthoperator.io")]
    public void Same_crds(string name) =>
        JsonNode.DeepEquals(Chart.Single("CustomResourceDefinition", name), Kustomize.Single("CustomResourceDefinition", name)).ShouldBeTrue();

    [Fact]
    public void Same_agent_pod_spec_and_update_strategy()
    {
        var chart = Chart.Single("DaemonSet", AgentDaemonSetExpectations.Name);
        var kustomize = Kustomize.Single("DaemonSet", AgentDaemonSetExpectations.Name);
        var chartPod = AgentDaemonSetExpectations.PodSpec(chart);
        var kustomizePod = AgentDaemonSetExpectations.PodSpec(kustomize);
        foreach (var (field, value) in kustomizePod)
        {
            JsonNode.DeepEquals(chartPod[field], value).ShouldBeTrue(
                $"spec.template.spec.{field}: chart {chartPod[field]?.ToJsonString()} vs kustomize {value?.ToJsonString()}");
        }

        chartPod.Select(p => p.Key).ShouldBe(kustomizePod.Select(p => p.Key), ignoreOrder: true);
        JsonNode.DeepEquals(chart["spec"]!["updateStrategy"], kustomize["spec"]!["updateStrategy"]).ShouldBeTrue();
    }

    [Theory]
    [InlineData("bandwidth-operator-agent-own-node")]
    [InlineData("bandwidth-operator-agent-own-node-status")]
    public void Same_admission_policy_but_for_the_agent_user_each_install_names(string name)
    {
        var chart = Chart.Single("ValidatingAdmissionPolicy", name);
        var kustomize = Kustomize.Single("ValidatingAdmissionPolicy", name);
        foreach (var policy in new[] { chart, kustomize })
        {
            ((string?)policy["spec"]!["matchConditions"]![0]!["expression"]).ShouldBe(
                "request.userInfo.username == 'system:serviceaccount:bandwidth-operator-system:bandwidth-operator-agent'");
            ManifestSet.Namespace(policy).ShouldBeNull("cluster-scoped");
        }

        JsonNode.DeepEquals(chart["spec"], kustomize["spec"]).ShouldBeTrue($"chart {chart["spec"]!.ToJsonString()} vs kustomize {kustomize["spec"]!.ToJsonString()}");
        JsonNode.DeepEquals(
            Chart.Single("ValidatingAdmissionPolicyBinding", name)["spec"],
            Kustomize.Single("ValidatingAdmissionPolicyBinding", name)["spec"]).ShouldBeTrue();
    }

    [Fact]
    public void Secure_metrics_render_the_same_objects_in_both()
    {
        var chart = HelmChartTests.Render("--set", "metrics.secure=true");
        var kustomize = KustomizeTests.RenderDefaultWithSecureMetrics().Without("Namespace");
        chart.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal).ShouldBe(kustomize.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        foreach (var name in new[] { "bandwidth-operator-agent-metrics-auth", "bandwidth-operator-metrics-reader" })
        {
            chart.Single("ClusterRole", name)["rules"]!.ToJsonString().ShouldBe(kustomize.Single("ClusterRole", name)["rules"]!.ToJsonString());
        }

        // The component's strategic merge patch moves the variable it sets to the front: compare env by name.
        var chartPod = EnvSorted(AgentDaemonSetExpectations.PodSpec(chart.Single("DaemonSet", AgentDaemonSetExpectations.Name)));
        var kustomizePod = EnvSorted(AgentDaemonSetExpectations.PodSpec(kustomize.Single("DaemonSet", AgentDaemonSetExpectations.Name)));
        JsonNode.DeepEquals(chartPod, kustomizePod).ShouldBeTrue($"chart {chartPod.ToJsonString()} vs kustomize {kustomizePod.ToJsonString()}");

        foreach (var rendered in new[] { chart, kustomize })
        {
            var service = rendered.Single("Service", "bandwidth-operator-agent-metrics");
            var podLabels = rendered.Single("DaemonSet", AgentDaemonSetExpectations.Name)["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            foreach (var (key, value) in service["spec"]!["selector"]!.AsObject())
            {
                ((string?)podLabels[key]).ShouldBe((string?)value, $"service selector {key}");
            }

            service["spec"]!["ports"]![0]!["port"]!.GetValue<int>().ShouldBe(13090);
            ((string?)service["spec"]!["ports"]![0]!["targetPort"]).ShouldBe("metrics");
        }
    }

    private static JsonObject EnvSorted(JsonObject pod)
    {
        var copy = pod.DeepClone().AsObject();
        foreach (var container in copy["containers"]!.AsArray().OfType<JsonObject>())
        {
            var env = container["env"]!.AsArray().Select(e => e!.DeepClone()).OrderBy(e => (string?)e["name"], StringComparer.Ordinal).ToArray();
            container["env"] = new JsonArray(env);
        }

        return copy;
    }

    private static string AggregationLabels(JsonObject role) =>
        string.Join(",", (role["metadata"]!["labels"] as JsonObject ?? [])
            .Where(l => l.Key.StartsWith("rbac.authorization.k8s.io/", StringComparison.Ordinal))
            .Select(l => $"{l.Key}={l.Value}")
            .Order(StringComparer.Ordinal));
}
