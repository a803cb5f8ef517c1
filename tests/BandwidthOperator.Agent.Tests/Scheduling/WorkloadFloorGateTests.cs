using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.Scheduling;

public sealed class WorkloadFloorGateTests
{
    private const string Blue = "floor.bandwidthoperator.io/tenant-blue";

    private static BridgeNetwork Net(bool schedulable) => new()
    {
        Metadata = new V1ObjectMeta { Name = "tenant-blue" },
        Spec = new BridgeNetworkSpec { Bridge = "br0", Inbound = new NetworkBandwidth { Average = "10G", Schedulable = schedulable } },
    };

    private static WorkloadFloorClaim Claim(string name, string floor, string workload, string? requested) => new(
        new InterfaceBandwidth
        {
            Metadata = new V1ObjectMeta { NamespaceProperty = "t", Name = name },
            Spec = new InterfaceBandwidthSpec { Network = "tenant-blue", Inbound = new InterfaceInbound { Floor = floor } },
        },
        "VirtualMachineInstance", workload,
        requested is null ? new Dictionary<string, BitRate>() : new Dictionary<string, BitRate> { [Blue] = BitRate.Parse(requested) });

    [Fact]
    public void Two_interfaces_of_one_vm_need_the_sum_of_their_floors()
    {
        var refusals = WorkloadFloorGate.Refusals([Claim("vm-a-net1", "600M", "vm-a", "1G"), Claim("vm-a-net2", "600M", "vm-a", "1G")], [Net(true)]);

        refusals.Keys.ShouldBe(["t/vm-a-net1", "t/vm-a-net2"], ignoreOrder: true);
        refusals["t/vm-a-net1"].ShouldStartWith("InterfaceBandwidth t/vm-a-net1: the floor is scheduled as an extended resource and VirtualMachineInstance vm-a does not request it: it needs 1200M of floor.bandwidthoperator.io/tenant-blue (it requests 1G).");
        refusals["t/vm-a-net1"].ShouldEndWith("spec: {domain: {resources: {limits: {floor.bandwidthoperator.io/tenant-blue: 1200M}}}}");
    }

    [Fact]
    public void A_workload_that_requested_its_floors_passes_and_others_are_judged_alone()
    {
        var refusals = WorkloadFloorGate.Refusals([Claim("ok", "1G", "vm-a", "1G"), Claim("missing", "1G", "vm-b", null)], [Net(true)]);

        refusals.Keys.ShouldBe(["t/missing"]);
    }

    [Fact]
    public void A_network_that_does_not_opt_in_asks_for_nothing()
    {
        WorkloadFloorGate.Refusals([Claim("a", "1G", "vm-a", null)], [Net(false)]).ShouldBeEmpty();
        WorkloadFloorGate.Refusals([Claim("a", "1G", "vm-a", null)], []).ShouldBeEmpty();
    }
}
