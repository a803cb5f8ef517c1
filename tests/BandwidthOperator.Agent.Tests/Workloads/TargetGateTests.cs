using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.Workloads;

/// <summary>The pure stage before the planner: which raw MAC claims stand, where targets are placed, what is released.</summary>
public sealed class TargetGateTests
{
    private static readonly MacAddress GuestMac = MacAddress.Parse("52:54:00:aa:00:01");

    private static BridgeNetwork Network(V1LabelSelector? rawMacs) => new()
    {
        Metadata = new V1ObjectMeta { Name = "tenant-net" },
        Spec = new BridgeNetworkSpec { Bridge = "br0", Inbound = new NetworkBandwidth { Average = "100M" }, RawMacNamespaceSelector = rawMacs },
    };

    private static InterfaceBandwidth Raw(string ns, string mac) => new()
    {
        Metadata = new V1ObjectMeta { Name = "cap", NamespaceProperty = ns, Generation = 1 },
        Spec = new InterfaceBandwidthSpec { Network = "tenant-net", NodeName = "node-a", MacAddress = mac, Inbound = new InterfaceInbound { Average = "1M" } },
    };

    private static InterfaceBandwidth Target(InterfaceBandwidthStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "vm-a-net1", NamespaceProperty = "t1", Generation = 2 },
        Spec = new InterfaceBandwidthSpec
        {
            Network = "tenant-net",
            Target = new InterfaceTarget { Kind = InterfaceTarget.VirtualMachineInstanceKind, Name = "vm-a", Interface = "net1" },
            Inbound = new InterfaceInbound { Floor = "40M" },
        },
        Status = status,
    };

    private static VirtualMachineInstance Vmi(string node, VirtualMachineInstanceMigrationState? migration = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "vm-a", NamespaceProperty = "t1", Labels = new Dictionary<string, string> { [VirtualMachineInstance.NodeNameLabel] = node } },
        Status = new VirtualMachineInstanceStatus
        {
            NodeName = node,
            Interfaces = [new VirtualMachineInstanceInterface { Name = "net1", Mac = GuestMac.ToString() }],
            MigrationState = migration,
        },
    };

    private static WorkloadView View(VirtualMachineInstance? vmi, bool kubeVirtMissing = false) => new(
        key => vmi is not null && key == "t1/vm-a" ? vmi : null,
        _ => null,
        kubeVirtMissing,
        vmi is null ? [] : [new MacOwner(GuestMac, "t1", "VirtualMachineInstance t1/vm-a")]);

    private static TargetGateResult Gate(string node, InterfaceBandwidth[] raw, InterfaceBandwidth[] targeted, V1LabelSelector? rawMacs, WorkloadView view) =>
        TargetGate.Evaluate(node, raw, targeted, [Network(rawMacs)], new Dictionary<string, IReadOnlyDictionary<string, string>>(), view);

    [Fact]
    public void A_raw_claim_is_refused_by_default()
    {
        var gate = Gate("node-a", [Raw("t2", "52:54:00:00:00:09")], [], null, View(null));

        gate.ToPlan.ShouldBeEmpty();
        gate.Refused.Single().Admitted.Reason.ShouldBe(WorkloadReasons.RawMacNotAllowed);
        gate.Refused.Single().Admitted.Message.ShouldContain("(it has no spec.rawMacNamespaceSelector)");
    }

    [Fact]
    public void An_allowed_raw_claim_on_an_unowned_mac_is_planned()
    {
        var gate = Gate("node-a", [Raw("t2", "52:54:00:00:00:09")], [], new V1LabelSelector(), View(Vmi("node-a")));

        gate.Refused.ShouldBeEmpty();
        gate.ToPlan.Single().Metadata.Name.ShouldBe("cap");
    }

    [Fact]
    public void A_raw_claim_on_a_mac_another_namespaces_workload_carries_is_refused_naming_both()
    {
        var gate = Gate("node-a", [Raw("t2", GuestMac.ToString())], [], new V1LabelSelector(), View(Vmi("node-a")));

        gate.ToPlan.ShouldBeEmpty();
        var refusal = gate.Refused.Single();
        refusal.Admitted.Reason.ShouldBe(WorkloadReasons.MacOwnedByOtherNamespace);
        refusal.Admitted.Message.ShouldBe("InterfaceBandwidth t2/cap: spec.macAddress 52:54:00:aa:00:01 is carried by VirtualMachineInstance t1/vm-a of namespace t1; a claim from namespace t2 may not shape it");
        refusal.Ready.Status.ShouldBeFalse();
    }

    [Fact]
    public void A_raw_claim_on_its_own_namespaces_workload_stands()
    {
        var gate = Gate("node-a", [Raw("t1", GuestMac.ToString())], [], new V1LabelSelector(), View(Vmi("node-a")));

        gate.Refused.ShouldBeEmpty();
        gate.ToPlan.ShouldHaveSingleItem();
    }

    [Fact]
    public void A_target_is_placed_with_the_workloads_mac_and_this_nodes_class_ids()
    {
        var status = new InterfaceBandwidthStatus { Nodes = [new InterfaceBandwidthNodeStatus { NodeName = "node-a", ClassId = 7, OutboundClassId = 9 }, new InterfaceBandwidthNodeStatus { NodeName = "node-b", ClassId = 3 }] };

        var gate = Gate("node-a", [], [Target(status)], null, View(Vmi("node-a")));

        var placed = gate.ToPlan.Single();
        placed.Spec.NodeName.ShouldBe("node-a");
        placed.Spec.MacAddress.ShouldBe("52:54:00:aa:00:01");
        placed.Spec.Target.ShouldBeNull();
        placed.Status!.ClassId.ShouldBe(7);
        placed.Status.OutboundClassId.ShouldBe(9);
        gate.Placements["t1/vm-a-net1"].Role.ShouldBe(WorkloadRole.Running);
    }

    [Fact]
    public void During_a_migration_both_nodes_place_it_in_their_roles()
    {
        var vmi = Vmi("node-a", new VirtualMachineInstanceMigrationState { SourceNode = "node-a", TargetNode = "node-b", Completed = false });

        Gate("node-a", [], [Target()], null, View(vmi)).Placements["t1/vm-a-net1"].Role.ShouldBe(WorkloadRole.MigrationSource);
        var target = Gate("node-b", [], [Target()], null, View(vmi)).Placements["t1/vm-a-net1"];
        target.Role.ShouldBe(WorkloadRole.MigrationTarget);
        target.ReportsStatus.ShouldBeFalse("the source writes the top-level status until the switch-over");
    }

    [Fact]
    public void A_target_this_node_held_whose_workload_left_is_released()
    {
        var held = Target(new InterfaceBandwidthStatus { NodeName = "node-a", Nodes = [new InterfaceBandwidthNodeStatus { NodeName = "node-a", ClassId = 3 }] });

        var gate = Gate("node-a", [], [held], null, View(null));

        gate.ToPlan.ShouldBeEmpty();
        gate.Released.ShouldHaveSingleItem();
        Gate("node-c", [], [held], null, View(null)).Released.ShouldBeEmpty("node-c never held it");
    }

    [Fact]
    public void Without_kubevirt_a_vmi_target_is_refused_as_such_and_nothing_is_placed()
    {
        var gate = Gate("node-a", [], [Target()], null, View(null, kubeVirtMissing: true));

        gate.ToPlan.ShouldBeEmpty();
        gate.Refused.Single().Admitted.Reason.ShouldBe(WorkloadReasons.KubeVirtNotInstalled);
    }
}
