using System.Text.Json.Nodes;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary><c>kubectl kustomize config/default</c> renders the whole install.</summary>
public sealed class KustomizeTests
{
    private const string Namespace = "bandwidth-operator-system";

    internal static ManifestSet RenderDefault() =>
        ManifestSet.FromYaml(Kubectl.Kustomize(Path.Combine(RepositoryPaths.Config, "default")).StandardOutput, "config/default");

    /// <summary>config/default with its commented-out <c>components:</c> switched on, as the README tells a user to (a copy in a temporary folder).</summary>
    internal static ManifestSet RenderDefaultWithSecureMetrics()
    {
        var root = Directory.CreateTempSubdirectory("bwo-kustomize-");
        try
        {
            Copy(RepositoryPaths.Config, Path.Combine(root.FullName, "config"));
            Copy(RepositoryPaths.Crds, Path.Combine(root.FullName, "crds"));
            var kustomization = Path.Combine(root.FullName, "config", "default", "kustomization.yaml");
            var text = File.ReadAllText(kustomization);
            text.ShouldContain("#components:\n#- ../components/secure-metrics\n");
            File.WriteAllText(kustomization, text.Replace("#components:\n#- ../components/secure-metrics\n", "components:\n- ../components/secure-metrics\n", StringComparison.Ordinal));
            return ManifestSet.FromYaml(Kubectl.Kustomize(Path.Combine(root.FullName, "config", "default")).StandardOutput, "config/default + secure-metrics");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

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
                "ValidatingAdmissionPolicy/bandwidth-operator-agent-own-node",
                "ValidatingAdmissionPolicyBinding/bandwidth-operator-agent-own-node",
                "ValidatingAdmissionPolicy/bandwidth-operator-agent-own-node-status",
                "ValidatingAdmissionPolicyBinding/bandwidth-operator-agent-own-node-status",
                $"DaemonSet/{Namespace}/bandwidth-operator-agent",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Secure_metrics_component_adds_the_service_the_review_roles_and_switches_the_agent_to_https()
    {
        var rendered = RenderDefaultWithSecureMetrics();
        rendered.Keys.Select(k => k.ToString()).Except(RenderDefault().Keys.Select(k => k.ToString())).ShouldBe(
            [
                $"Service/{Namespace}/bandwidth-operator-agent-metrics",
                "ClusterRole/bandwidth-operator-agent-metrics-auth",
                "ClusterRoleBinding/bandwidth-operator-agent-metrics-auth",
                "ClusterRole/bandwidth-operator-metrics-reader",
            ],
            ignoreOrder: true);
        var container = AgentDaemonSetExpectations.Container(rendered.Single("DaemonSet", AgentDaemonSetExpectations.Name));
        var env = container["env"]!.AsArray().OfType<JsonObject>().Where(e => (string?)e["name"] == "Agent__Metrics__Secure").ToList();
        env.Count.ShouldBe(1);
        ((string?)env[0]["value"]).ShouldBe("true");
        var binding = rendered.Single("ClusterRoleBinding", "bandwidth-operator-agent-metrics-auth");
        ((string?)binding["subjects"]![0]!["namespace"]).ShouldBe(Namespace);
        RbacRules.Grants(rendered.Single("ClusterRole", "bandwidth-operator-agent-metrics-auth")).ShouldBe(
            ["authentication.k8s.io/tokenreviews:create", "authorization.k8s.io/subjectaccessreviews:create"], ignoreOrder: true);
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
        container["ports"]!.AsArray().OfType<JsonObject>().Single(p => (string?)p["name"] == "metrics")["containerPort"]!.GetValue<int>().ShouldBe(13090);
        container["args"]!.AsArray().Select(a => (string?)a).ShouldBe(["agent", "--log-format", "text"]);
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
                "/nodes:list", "/nodes:watch",
                "/namespaces:list", "/namespaces:watch",
                "/nodes/status:patch",
                "/events:create",
                "/pods:list", "/pods:watch",
                "kubevirt.io/virtualmachineinstances:list", "kubevirt.io/virtualmachineinstances:watch",
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
            ["Namespace/tenant-a", "BridgeNetwork/tenant-net", "InterfaceBandwidth/tenant-a/vm-a-net1", "InterfaceBandwidth/tenant-a/vm-b-net1"], ignoreOrder: true);
        samples.Keys.First().ToString().ShouldBe("Namespace/tenant-a", "kubectl apply -k creates the namespace before what lives in it");
    }
}
