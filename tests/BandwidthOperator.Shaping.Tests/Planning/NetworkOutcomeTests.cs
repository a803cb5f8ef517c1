using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using k8s.Models;

namespace BandwidthOperator.Shaping.Tests.Planning;

/// <summary>Each network's typed outcome on the plan (what the agent's reconciler reads instead of matching message text).</summary>
public class NetworkOutcomeTests
{
    private const string Node = "node-a";

    private static BridgeNetwork Net(string name, string bridge, string average = "10G", Dictionary<string, string>? nodeSelector = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Generation = 1 },
        Spec = new BridgeNetworkSpec
        {
            Bridge = bridge,
            Inbound = new NetworkBandwidth { Average = average },
            NodeSelector = nodeSelector is null ? null : new V1LabelSelector { MatchLabels = nodeSelector },
        },
    };

    private static NodePlan Plan(IReadOnlyList<BridgeNetwork> networks, IReadOnlySet<string>? scope = null)
    {
        var kernel = FakeKernel.WithBridge("br-a");
        kernel.Devices["br-b"] = new DeviceFacts("br-b", 3, true, null);
        return NodePlanner.Plan(new NodeRequest(Node, networks, [], new Dictionary<string, string> { ["zone"] = "a" }) { ScopeBridges = scope }, kernel.Facts());
    }

    [Fact]
    public void Every_network_gets_its_state_reason_and_message()
    {
        var plan = Plan(
        [
            Net("b-planned", "br-a"),
            Net("a-invalid", "br-b", average: "fast"),
            Net("c-elsewhere", "br-c", nodeSelector: new() { ["zone"] = "b" }),
            Net("d-second", "br-a"),
        ]);

        plan.Networks.Select(n => (n.Network, n.State, n.Bridge, n.Reason, n.IsIssue)).ShouldBe(
        [
            ("a-invalid", NetworkState.Invalid, "br-b", ConditionReasons.InvalidNetwork, true),
            ("b-planned", NetworkState.Planned, "br-a", null, false),
            ("c-elsewhere", NetworkState.NotOnNode, "br-c", ConditionReasons.NetworkNotOnNode, false),
            ("d-second", NetworkState.BridgeInUse, "br-a", ConditionReasons.BridgeInUse, true),
        ]);
        plan.NetworkOf("b-planned")!.Message.ShouldBeEmpty();
        plan.NetworkOf("c-elsewhere")!.Message.ShouldBe("BridgeNetwork c-elsewhere does not select node node-a");
        plan.NetworkOf("d-second")!.Message.ShouldBe("BridgeNetwork d-second: bridge br-a is already managed by BridgeNetwork b-planned on node-a");
        plan.NetworkOf("a-invalid")!.Message.ShouldStartWith("BridgeNetwork a-invalid is invalid: spec.inbound.average: 'fast'");
        // The issues are exactly the messages of the networks that are issues, in name order.
        plan.NetworkIssues.ShouldBe(plan.Networks.Where(n => n.IsIssue).Select(n => n.Message));
        plan.Bridges.Select(b => b.Network).ShouldBe(["b-planned"]);
    }

    [Fact]
    public void A_name_the_request_does_not_have_has_no_outcome()
    {
        var plan = Plan([Net("a", "br-a")]);
        plan.NetworkOf("a ").ShouldBeNull();
        plan.NetworkOf("b").ShouldBeNull();
    }

    [Fact]
    public void A_scoped_plan_reports_only_the_networks_of_its_bridges()
    {
        var plan = Plan([Net("a", "br-a"), Net("b", "br-b", average: "fast"), Net("c", "br-a")], new HashSet<string>(StringComparer.Ordinal) { "br-b" });

        plan.Networks.Select(n => n.Network).ShouldBe(["b"]);
        plan.NetworkOf("b")!.State.ShouldBe(NetworkState.Invalid);
        plan.NetworkIssues.Count.ShouldBe(1);
        plan.Bridges.ShouldBeEmpty();
    }
}
