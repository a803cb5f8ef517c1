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

    [Fact]
    public void Metrics_services_select_the_agent_pods_on_the_same_port()
    {
        foreach (var rendered in new[] { Chart, Kustomize })
        {
            var service = rendered.Single("Service", "bandwidth-operator-agent-metrics");
            var podLabels = rendered.Single("DaemonSet", AgentDaemonSetExpectations.Name)["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            foreach (var (key, value) in service["spec"]!["selector"]!.AsObject())
            {
                ((string?)podLabels[key]).ShouldBe((string?)value, $"service selector {key}");
            }

            service["spec"]!["ports"]![0]!["port"]!.GetValue<int>().ShouldBe(9090);
            ((string?)service["spec"]!["ports"]![0]!["targetPort"]).ShouldBe("metrics");
        }
    }

    private static string AggregationLabels(JsonObject role) =>
        string.Join(",", (role["metadata"]!["labels"] as JsonObject ?? [])
            .Where(l => l.Key.StartsWith("rbac.authorization.k8s.io/", StringComparison.Ordinal))
            .Select(l => $"{l.Key}={l.Value}")
            .Order(StringComparer.Ordinal));
}
