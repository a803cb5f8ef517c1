using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Admission;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>
/// The node-scoped write policy as the chart renders it: its rules' text, and its CEL evaluated (a real CEL
/// interpreter, the API-server double's <see cref="ValidatingAdmissionPolicy"/>) on the requests an agent
/// makes and on the ones it must not. The user and its extra follow transcript 102; denials 114/116.
/// The agent's real writes under this policy: tests/BandwidthOperator.Agent.Tests AgentAdmissionPolicyTests.
/// </summary>
public sealed class AdmissionPolicyTests
{
    private const string Agent = "system:serviceaccount:bandwidth-operator-system:bandwidth-operator-agent";
    private static readonly Lazy<JsonObject> Rendered = new(() => HelmChartTests.Render().Single("ValidatingAdmissionPolicy", "bandwidth-operator-agent-own-node"));
    private static readonly AdmissionUser AgentOnNodeA = AdmissionUser.PodServiceAccount("bandwidth-operator-system", "bandwidth-operator-agent", "node-a", "agent-x");

    private static ValidatingAdmissionPolicy Policy => new(Rendered.Value);

    [Fact]
    public void Rules_match_only_the_agent_and_take_the_node_from_its_token()
    {
        var spec = Rendered.Value["spec"]!;
        ((string?)spec["failurePolicy"]).ShouldBe("Fail");
        spec["matchConditions"]!.AsArray().Select(c => (string?)c!["expression"]).ShouldBe([$"request.userInfo.username == '{Agent}'"]);
        var rule = spec["matchConstraints"]!["resourceRules"]!.AsArray().Single()!;
        rule["resources"]!.AsArray().Select(r => (string?)r).ShouldBe(
            ["bridgenetworks", "bridgenetworks/status", "interfacebandwidths", "interfacebandwidths/status"], ignoreOrder: true);
        rule["apiGroups"]!.AsArray().Select(r => (string?)r).ShouldBe(["bandwidthoperator.io"]);
        var variables = spec["variables"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (string)v!["expression"]!);
        variables["node"].ShouldContain("request.userInfo.extra['authentication.kubernetes.io/node-name'][0]");
        variables["statusUpdate"].ShouldBe("request.operation == 'UPDATE' && request.subResource == 'status'");
        var validations = spec["validations"]!.AsArray().Select(v => (string)v!["expression"]!).ToList();
        validations.ShouldContain("variables.statusUpdate");
        validations.ShouldContain("variables.node != ''");
        validations.ShouldContain(v => v.Contains("oldObject.spec.nodeName == variables.node && object.spec.nodeName == variables.node", StringComparison.Ordinal));
        validations.ShouldContain("variables.othersBefore == variables.othersAfter");
        spec["validations"]!.AsArray().ShouldAllBe(v => (string?)v!["reason"] == "Forbidden");
        var binding = HelmChartTests.Render().Single("ValidatingAdmissionPolicyBinding", "bandwidth-operator-agent-own-node");
        ((string?)binding["spec"]!["policyName"]).ShouldBe("bandwidth-operator-agent-own-node");
        binding["spec"]!["validationActions"]!.AsArray().Select(a => (string?)a).ShouldBe(["Deny"]);
    }

    [Fact]
    public void The_chart_can_leave_the_policy_out() =>
        HelmChartTests.Render("--set", "nodeScopedWrites.enabled=false").Objects.Where(o => ((string?)o["kind"])!.StartsWith("ValidatingAdmissionPolicy", StringComparison.Ordinal)).ShouldBeEmpty();

    [Fact]
    public void The_agents_status_patch_of_its_own_interface_is_admitted() =>
        Policy.Evaluate(InterfaceStatus(AgentOnNodeA, "node-a")).ShouldBeNull();

    [Fact]
    public void The_agents_status_patch_of_another_nodes_interface_is_refused()
    {
        var denial = Policy.Evaluate(InterfaceStatus(AgentOnNodeA, "node-b")).ShouldNotBeNull();
        denial.Forbidden.ShouldBeTrue("reason: Forbidden gives 403 (transcript 116)");
        denial.Message.ShouldBe("ValidatingAdmissionPolicy 'bandwidth-operator-agent-own-node' with binding 'bandwidth-operator-agent-own-node' denied request: " +
            "InterfaceBandwidth tenant-a/pod-e-eth0 is on node node-b, the agent token is bound to node node-a");
    }

    [Fact]
    public void A_token_without_a_node_is_refused()
    {
        var user = AgentOnNodeA with { Extra = new Dictionary<string, IReadOnlyList<string>>() };
        Policy.Evaluate(InterfaceStatus(user, "node-a")).ShouldNotBeNull().Message.ShouldContain("token names no node");
    }

    [Fact]
    public void Other_users_are_not_matched()
    {
        var admin = AdmissionUser.Admin;
        Policy.Evaluate(InterfaceStatus(admin, "node-b")).ShouldBeNull();
        var otherSa = AdmissionUser.PodServiceAccount("bandwidth-operator-system", "someone-else", "node-a", "p");
        Policy.Evaluate(InterfaceStatus(otherSa, "node-b")).ShouldBeNull();
        Policy.Evaluate(Spec(AdmissionUser.Admin)).ShouldBeNull();
    }

    [Fact]
    public void The_agent_may_not_change_a_spec() =>
        Policy.Evaluate(Spec(AgentOnNodeA)).ShouldNotBeNull().Message.ShouldContain("may only update the status subresource");

    [Theory]
    [InlineData("adds its entry", "[{b}]", "[{b},{a}]", true)]
    [InlineData("changes its entry", "[{b},{a}]", "[{b},{a2}]", true)]
    [InlineData("gives up its entry", "[{a},{b}]", "[{b}]", true)]
    [InlineData("first entry of all", "null", "[{a}]", true)]
    [InlineData("changes another node's entry", "[{b},{a}]", "[{b2},{a}]", false)]
    [InlineData("removes another node's entry", "[{b},{a}]", "[{a}]", false)]
    [InlineData("adds an entry for another node", "[{a}]", "[{a},{b}]", false)]
    public void The_agent_may_change_only_its_own_entry_of_status_nodes(string what, string before, string after, bool admitted)
    {
        var denial = Policy.Evaluate(NetworkStatus(AgentOnNodeA, Nodes(before), Nodes(after)));
        if (admitted)
        {
            denial.ShouldBeNull(what);
        }
        else
        {
            denial.ShouldNotBeNull(what).Message.ShouldEndWith(
                "denied request: BridgeNetwork tenant-net: the agent on node node-a may change only its own entry of status.nodes (nodeName node-a)");
        }
    }

    [Fact]
    public void The_agent_may_not_change_the_networks_own_conditions()
    {
        var before = new JsonObject { ["nodes"] = Nodes("[{a}]"), ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Valid", ["status"] = "True" }) };
        var after = new JsonObject { ["nodes"] = Nodes("[{a}]"), ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Valid", ["status"] = "False" }) };
        Policy.Evaluate(Request("UPDATE", "bridgenetworks", "status", null, "tenant-net", AgentOnNodeA, Network(before), Network(after)))
            .ShouldNotBeNull().Message.ShouldContain("may not change status.conditions or status.observedGeneration");
    }

    private static JsonArray? Nodes(string shorthand) => shorthand == "null" ? null : new JsonArray(shorthand.Trim('[', ']').Split(',')
        .Select(e => (JsonNode?)(e switch
        {
            "{a}" => new JsonObject { ["nodeName"] = "node-a", ["ready"] = true, ["floorSum"] = "70M", ["interfaces"] = 1 },
            "{a2}" => new JsonObject { ["nodeName"] = "node-a", ["ready"] = false, ["floorSum"] = "0", ["interfaces"] = 0 },
            "{b}" => new JsonObject { ["nodeName"] = "node-b", ["ready"] = true, ["floorSum"] = "20M", ["interfaces"] = 1 },
            "{b2}" => new JsonObject { ["nodeName"] = "node-b", ["ready"] = false, ["floorSum"] = "20M", ["interfaces"] = 1 },
            _ => throw new ArgumentException(e),
        })).ToArray());

    private static JsonObject Network(JsonObject? status)
    {
        var o = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "tenant-net" }, ["spec"] = new JsonObject { ["bridge"] = "br0" } };
        if (status is not null)
        {
            o["status"] = status;
        }

        return o;
    }

    private static AdmissionRequest NetworkStatus(AdmissionUser user, JsonNode? before, JsonNode? after) =>
        Request("UPDATE", "bridgenetworks", "status", null, "tenant-net", user,
            Network(before is null ? null : new JsonObject { ["nodes"] = before }), Network(after is null ? null : new JsonObject { ["nodes"] = after }));

    private static JsonObject Targeted(string? statusJson) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "vm-a-net1", ["namespace"] = "t1" },
        ["spec"] = new JsonObject { ["network"] = "tenant-net", ["target"] = new JsonObject { ["kind"] = "VirtualMachineInstance", ["name"] = "vm-a", ["interface"] = "net1" } },
        ["status"] = statusJson is null ? null : JsonNode.Parse(statusJson),
    };

    private static AdmissionRequest TargetStatus(string? before, string? after) =>
        Request("UPDATE", "interfacebandwidths", "status", "t1", "vm-a-net1", AgentOnNodeA, Targeted(before), Targeted(after));

    [Theory]
    [InlineData(null, """{"nodes":[{"nodeName":"node-a","role":"Running","classId":3}]}""")]
    [InlineData("""{"nodes":[{"nodeName":"node-b","role":"MigrationSource","classId":4}]}""", """{"nodes":[{"nodeName":"node-b","role":"MigrationSource","classId":4},{"nodeName":"node-a","role":"MigrationTarget","classId":3}]}""")]
    [InlineData("""{"nodes":[{"nodeName":"node-a","role":"Running","classId":3}]}""", """{"classId":3,"nodeName":"node-a","macAddress":"52:54:00:aa:00:01","nodes":[{"nodeName":"node-a","role":"Running","classId":3}]}""")]
    [InlineData("""{"classId":3,"nodeName":"node-a","nodes":[{"nodeName":"node-a","role":"Running","classId":3}]}""", """{"nodes":[]}""")]
    [InlineData("""{}""", """{"conditions":[{"type":"Admitted","status":"False","reason":"KubeVirtNotInstalled"}]}""")]
    public void The_agents_writes_of_a_target_bound_status_are_admitted(string? before, string after) =>
        Policy.Evaluate(TargetStatus(before, after)).ShouldBeNull();

    [Theory]
    [InlineData("""{"nodes":[{"nodeName":"node-b","role":"Running","classId":4}]}""", """{"nodes":[{"nodeName":"node-b","role":"Running","classId":9}]}""", "may change only its own entry of status.nodes")]
    [InlineData("""{"classId":4,"nodeName":"node-b","nodes":[{"nodeName":"node-b","role":"Running","classId":4}]}""", """{"classId":9,"nodeName":"node-b","nodes":[{"nodeName":"node-b","role":"Running","classId":4}]}""", "only while status.nodeName names its node")]
    public void The_agent_may_not_change_another_nodes_part_of_a_target_bound_status(string before, string after, string message) =>
        Policy.Evaluate(TargetStatus(before, after)).ShouldNotBeNull().Message.ShouldContain(message);

    private static JsonObject Interface(string node, int? classId) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "pod-e-eth0", ["namespace"] = "tenant-a" },
        ["spec"] = new JsonObject { ["network"] = "tenant-net", ["nodeName"] = node, ["macAddress"] = "52:54:00:00:0b:01" },
        ["status"] = classId is null ? new JsonObject() : new JsonObject { ["classId"] = classId, ["observedGeneration"] = 1 },
    };

    private static AdmissionRequest InterfaceStatus(AdmissionUser user, string node) =>
        Request("UPDATE", "interfacebandwidths", "status", "tenant-a", "pod-e-eth0", user, Interface(node, null), Interface(node, 7));

    private static AdmissionRequest Spec(AdmissionUser user)
    {
        var after = Interface("node-a", null);
        after["spec"]!["macAddress"] = "52:54:00:00:0b:02";
        return Request("UPDATE", "interfacebandwidths", null, "tenant-a", "pod-e-eth0", user, Interface("node-a", null), after);
    }

    private static AdmissionRequest Request(string operation, string resource, string? subresource, string? ns, string name, AdmissionUser user, JsonObject? old, JsonObject? updated) =>
        new(operation, "bandwidthoperator.io", "v1alpha1", resource, subresource, ns, name, user, old, updated);
}
