using System.Text.Json.Nodes;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary><c>kubectl kustomize config/default</c> renders the whole install.</summary>
public sealed class KustomizeTests
{
    private const string Namespace = "bandwidth-operator-system";

    internal static ManifestSet RenderDefault() =>
        ManifestSet.FromYaml(Kubectl.Kustomize(Path.Combine(RepositoryPaths.Config, "default")).StandardOutput, "config/default");

    [Fact]
    public void Default_renders_the_expected_objects()
    {
        var rendered = RenderDefault();
        rendered.Keys.Select(k => k.ToString()).ShouldBe(
            [
                "Namespace/bandwidth-operator-system",
                "CustomResourceDefinition/bridgenetworks.bandwidthoperator.io",
                "CustomResourceDefinition/interfacebandwidths.bandwidthoperator.io",
                $"ServiceAccount/{Namespace}/bandwidth-operator-agent",
                "ClusterRole/bandwidth-operator-agent",
                "ClusterRole/bandwidth-operator-viewer",
                "ClusterRole/bandwidth-operator-editor",
                "ClusterRoleBinding/bandwidth-operator-agent",
                $"Service/{Namespace}/bandwidth-operator-agent-metrics",
                $"DaemonSet/{Namespace}/bandwidth-operator-agent",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Default_agent_daemonset_is_locked_down()
    {
        var daemonSet = RenderDefault().Single("DaemonSet", AgentDaemonSetExpectations.Name);
        AgentDaemonSetExpectations.ShouldBeLockedDown(daemonSet);
        var pod = AgentDaemonSetExpectations.PodSpec(daemonSet);
        ((string?)pod["priorityClassName"]).ShouldBe("system-node-critical");
        pod["tolerations"]!.AsArray().Select(t => t!.ToJsonString()).ShouldBe(["{\"operator\":\"Exists\"}"]);
        var container = AgentDaemonSetExpectations.Container(daemonSet);
        ((string?)container["image"]).ShouldBe("ghcr.io/bandwidthoperator/bandwidth-operator:0.1.0");
        container["ports"]!.AsArray().OfType<JsonObject>().Single(p => (string?)p["name"] == "metrics")["containerPort"]!.GetValue<int>().ShouldBe(9090);
    }

    [Fact]
    public void Cluster_role_binding_names_the_agent_service_account_in_the_install_namespace()
    {
        var rendered = RenderDefault();
        var binding = rendered.Single("ClusterRoleBinding", "bandwidth-operator-agent");
        var subject = binding["subjects"]!.AsArray().Single()!;
        ((string?)subject["kind"]).ShouldBe("ServiceAccount");
        ((string?)subject["name"]).ShouldBe("bandwidth-operator-agent");
        ((string?)subject["namespace"]).ShouldBe(Namespace);
        ((string?)binding["roleRef"]!["name"]).ShouldBe("bandwidth-operator-agent");
        rendered.Objects.Where(o => ManifestSet.Namespace(o) is not null)
            .ShouldAllBe(o => ManifestSet.Namespace(o) == Namespace);
    }

    [Fact]
    public void Agent_role_is_least_privilege()
    {
        var role = RenderDefault().Single("ClusterRole", "bandwidth-operator-agent");
        var grants = RbacRules.Grants(role);
        grants.ShouldBe(
            [
                "bandwidthoperator.io/bridgenetworks:list", "bandwidthoperator.io/bridgenetworks:watch",
                "bandwidthoperator.io/interfacebandwidths:get", "bandwidthoperator.io/interfacebandwidths:list", "bandwidthoperator.io/interfacebandwidths:watch",
                "bandwidthoperator.io/bridgenetworks/status:patch",
                "bandwidthoperator.io/interfacebandwidths/status:patch",
                "/nodes:get",
                "/namespaces:get",
                "/events:create",
            ],
            ignoreOrder: true);
        role["aggregationRule"].ShouldBeNull();
    }

    [Fact]
    public void Viewer_and_editor_roles_aggregate_into_the_builtin_roles()
    {
        var rendered = RenderDefault();
        var viewer = rendered.Single("ClusterRole", "bandwidth-operator-viewer");
        ((string?)viewer["metadata"]!["labels"]!["rbac.authorization.k8s.io/aggregate-to-view"]).ShouldBe("true");
        RbacRules.Grants(viewer).ShouldAllBe(g => g.EndsWith(":get", StringComparison.Ordinal) || g.EndsWith(":list", StringComparison.Ordinal) || g.EndsWith(":watch", StringComparison.Ordinal));

        var editor = rendered.Single("ClusterRole", "bandwidth-operator-editor");
        ((string?)editor["metadata"]!["labels"]!["rbac.authorization.k8s.io/aggregate-to-edit"]).ShouldBe("true");
        RbacRules.Grants(editor).ShouldContain("bandwidthoperator.io/interfacebandwidths:create");
        RbacRules.Grants(editor).ShouldNotContain("bandwidthoperator.io/interfacebandwidths/status:update", "status belongs to the agents");
    }

    [Fact]
    public void Samples_render()
    {
        var samples = ManifestSet.FromYaml(Kubectl.Kustomize(RepositoryPaths.Samples).StandardOutput, "config/samples");
        samples.Keys.Select(k => k.ToString()).ShouldBe(
            ["Namespace/tenant-a", "BridgeNetwork/tenant-net", "InterfaceBandwidth/tenant-a/vm-a-net1"], ignoreOrder: true);
        samples.Keys.First().ToString().ShouldBe("Namespace/tenant-a", "kubectl apply -k creates the namespace before what lives in it");
    }
}
