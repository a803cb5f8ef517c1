using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Quantities;
using k8s;

namespace BandwidthOperator.Agent.Tests.Workloads;

/// <summary>
/// VMI → nodes and MAC. The objects are shaped as the recorded exchanges 93–98 return them (a VMI with
/// status.nodeName and status.interfaces, labels kubevirt.io/nodeName moving on migration); the
/// migrationState fields are KubeVirt's (sourceNode, targetNode, completed, failed).
/// </summary>
public sealed class VmiResolverTests
{
    private const string Recorded94 = """
        {"apiVersion":"kubevirt.io/v1","kind":"VirtualMachineInstance",
         "metadata":{"name":"vm-a","namespace":"default","labels":{"kubevirt.io/nodeName":"node-a"},"resourceVersion":"230","uid":"bfa8bd6f-28f6-4a93-9f86-87549cd3ccb3"},
         "spec":{"domain":{"devices":{"interfaces":[{"bridge":{},"macAddress":"52:54:00:aa:00:01","name":"net1"}]}},"networks":[{"multus":{"networkName":"br-net"},"name":"net1"}]},
         "status":{"interfaces":[{"infoSource":"domain, multus-status","interfaceName":"eth1","mac":"52:54:00:aa:00:01","name":"net1"}],"nodeName":"node-a"%MIGRATION%}}
        """;

    private static VirtualMachineInstance Vmi(string migration = "") =>
        KubernetesJson.Deserialize<VirtualMachineInstance>(Recorded94.Replace("%MIGRATION%", migration, StringComparison.Ordinal));

    [Fact]
    public void A_running_vmi_is_on_its_status_node_with_the_mac_of_the_named_interface()
    {
        var placement = VmiResolver.Resolve(Vmi(), "net1");

        placement.Problem.ShouldBeNull();
        placement.Mac.ShouldBe(MacAddress.Parse("52:54:00:aa:00:01"));
        placement.Holdings.ShouldBe([new NodeHolding("node-a", WorkloadRole.Running)]);
        placement.RoleOf("node-b").ShouldBeNull();
    }

    [Fact]
    public void Without_status_node_the_label_places_it()
    {
        var vmi = Vmi();
        vmi.Status!.NodeName = null;

        VmiResolver.Resolve(vmi, "net1").Holdings.ShouldBe([new NodeHolding("node-a", WorkloadRole.Running)]);
    }

    [Fact]
    public void An_interface_it_does_not_report_is_not_guessed()
    {
        var placement = VmiResolver.Resolve(Vmi(), "net2");

        placement.Mac.ShouldBeNull();
        placement.Reason.ShouldBe(WorkloadReasons.InterfaceNotFound);
        placement.Problem.ShouldBe("VirtualMachineInstance default/vm-a reports no interface net2 in status.interfaces (it has net1)");
        placement.Holdings.ShouldBe([new NodeHolding("node-a", WorkloadRole.Running)], "the node is known even when the MAC is not");
    }

    [Fact]
    public void A_migration_under_way_is_held_on_source_and_target()
    {
        var placement = VmiResolver.Resolve(Vmi(""","migrationState":{"sourceNode":"node-a","targetNode":"node-b","completed":false}"""), "net1");

        placement.Holdings.ShouldBe([new NodeHolding("node-a", WorkloadRole.MigrationSource), new NodeHolding("node-b", WorkloadRole.MigrationTarget)]);
        placement.RunningNode.ShouldBe("node-a");
    }

    [Fact]
    public void A_completed_migration_is_held_only_on_the_target_even_before_status_node_moves()
    {
        var placement = VmiResolver.Resolve(Vmi(""","migrationState":{"sourceNode":"node-a","targetNode":"node-b","completed":true}"""), "net1");

        placement.Holdings.ShouldBe([new NodeHolding("node-b", WorkloadRole.Running)]);
    }

    [Fact]
    public void A_failed_migration_stays_on_the_source()
    {
        var placement = VmiResolver.Resolve(Vmi(""","migrationState":{"sourceNode":"node-a","targetNode":"node-b","completed":true,"failed":true}"""), "net1");

        placement.Holdings.ShouldBe([new NodeHolding("node-a", WorkloadRole.Running)]);
    }

    [Fact]
    public void A_finished_vmi_runs_nowhere()
    {
        var vmi = Vmi();
        vmi.Status!.Phase = "Succeeded";

        var placement = VmiResolver.Resolve(vmi, "net1");

        placement.Holdings.ShouldBeEmpty();
        placement.Reason.ShouldBe(WorkloadReasons.WorkloadNotRunning);
    }

    [Fact]
    public void A_vmi_without_node_is_not_scheduled()
    {
        var vmi = Vmi();
        vmi.Status!.NodeName = null;
        vmi.Metadata.Labels = null;

        VmiResolver.Resolve(vmi, "net1").Reason.ShouldBe(WorkloadReasons.WorkloadNotScheduled);
    }
}
