using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using k8s.Models;

namespace BandwidthOperator.Shaping.Tests.Planning;

/// <summary>
/// An edit that makes an applied InterfaceBandwidth invalid (one the CRD schema accepts, such as a floor
/// above its own average) keeps the floor class and the port limits the kernel carries for its MAC.
/// </summary>
public class LastAppliedTests
{
    private const string Node = "node-a";
    private const string Bridge = "br-tenant";
    private const string Mac1 = "52:54:00:6b:3c:01";
    private const string Mac2 = "52:54:00:6b:3c:02";

    private static BridgeNetwork Net(string average = "100M") => new()
    {
        Metadata = new V1ObjectMeta { Name = "tenant-net", Generation = 1 },
        Spec = new BridgeNetworkSpec { Bridge = Bridge, Inbound = new NetworkBandwidth { Average = average } },
    };

    private static InterfaceBandwidth Ibw(string name, string mac, string? floor, string? inAverage = null, int minutes = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "tenant-a", CreationTimestamp = new DateTime(2026, 1, 1, 0, minutes, 0, DateTimeKind.Utc), Generation = 2 },
        Spec = new InterfaceBandwidthSpec
        {
            Network = "tenant-net",
            NodeName = Node,
            MacAddress = mac,
            Inbound = new InterfaceInbound { Floor = floor, Average = inAverage },
        },
    };

    private static FakeKernel Kernel() => FakeKernel.WithBridge().Port(Bridge, "vnet3", 7, Mac1).Port(Bridge, "vnet4", 8, Mac2);

    private static NodePlan Plan(FakeKernel kernel, params InterfaceBandwidth[] interfaces) =>
        NodePlanner.Plan(new NodeRequest(Node, [Net()], interfaces), kernel.Facts());

    private static FakeKernel Applied(params InterfaceBandwidth[] interfaces)
    {
        var kernel = Kernel();
        kernel.Apply(Plan(kernel, interfaces).Operations);
        return kernel;
    }

    [Fact]
    public void A_floor_above_its_own_average_keeps_the_applied_floor_and_limits()
    {
        var kernel = Applied(Ibw("a", Mac1, floor: "20M", inAverage: "50M"));
        var before = kernel.Objects.ToList();

        var plan = Plan(kernel, Ibw("a", Mac1, floor: "80M", inAverage: "50M"));

        plan.Operations.ShouldBeEmpty(string.Join("\n", plan.Operations));
        var a = plan.Interfaces.Single();
        a.ClassId.ShouldBe((ushort)3);
        a.AppliedFloor.ShouldBe(BitRate.Parse("20M"));
        a.Admitted.Status.ShouldBeFalse();
        a.Admitted.Reason.ShouldBe(ConditionReasons.InvalidSpec);
        a.Admitted.Message.ShouldContain("spec.inbound.floor: floor 80M is above average 50M");
        // The limits are part of the class (ceil 50M): keeping the class keeps them.
        a.Admitted.Message.ShouldContain("the floor 20M (class 1:3) applied before stay until the spec is fixed");
        a.Ready.ShouldBe(new ConditionOutcome(true, ConditionReasons.LastAppliedKept, a.Admitted.Message));
        kernel.Objects.ShouldBe(before);
    }

    [Fact]
    public void The_kept_floor_still_counts_against_the_network_average()
    {
        var kernel = Applied(Ibw("a", Mac1, floor: "60M", inAverage: "70M"));

        var plan = Plan(kernel, Ibw("a", Mac1, floor: "80M", inAverage: "70M"), Ibw("b", Mac2, floor: "50M", minutes: 1));

        var b = plan.Interfaces.Single(i => i.Ref.Name == "b");
        b.Admitted.Reason.ShouldBe(ConditionReasons.FloorOvercommitted);
        plan.Operations.ShouldNotContain(o => o.Verb == TcVerb.Delete);
    }

    [Fact]
    public void Fixing_the_spec_applies_it_on_the_same_class()
    {
        var kernel = Applied(Ibw("a", Mac1, floor: "20M"));
        kernel.Apply(Plan(kernel, Ibw("a", Mac1, floor: "80M", inAverage: "50M")).Operations);

        var plan = Plan(kernel, Ibw("a", Mac1, floor: "30M"));

        var a = plan.Interfaces.Single();
        a.Admitted.Reason.ShouldBe(ConditionReasons.FloorAdmitted);
        a.ClassId.ShouldBe((ushort)3);
        plan.Operations.ShouldContain(o => o.Verb == TcVerb.Change && o.Target is HtbClass);
    }

    [Fact]
    public void An_invalid_resource_that_was_never_applied_gets_nothing()
    {
        var plan = Plan(Kernel(), Ibw("a", Mac1, floor: "80M", inAverage: "50M"));

        var a = plan.Interfaces.Single();
        a.Ready.Status.ShouldBeFalse();
        a.Ready.Reason.ShouldBe(ConditionReasons.InvalidSpec);
        a.ClassId.ShouldBeNull();
    }

    [Fact]
    public void A_floor_above_the_whole_network_average_is_refused_as_such()
    {
        var plan = Plan(Kernel(), Ibw("a", Mac1, floor: "150M"));

        var a = plan.Interfaces.Single();
        a.Admitted.Reason.ShouldBe(ConditionReasons.FloorAboveNetworkAverage);
        a.Admitted.Message.ShouldBe("InterfaceBandwidth tenant-a/a: spec.inbound.floor: floor 150M is above the whole inbound average 100M of BridgeNetwork tenant-net; it can never be admitted (lower it, or raise the network's spec.inbound.average)");
    }
}
