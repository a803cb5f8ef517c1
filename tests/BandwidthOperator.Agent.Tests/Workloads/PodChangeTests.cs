using BandwidthOperator.Agent.Hosting;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.Workloads;

/// <summary>Which pod changes make the agent look again: a pod a target names, or one whose MACs (ownership) changed.</summary>
public sealed class PodChangeTests
{
    private static V1Pod Pod(string name, string? mac, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "t1",
            Annotations = mac is null ? null : new Dictionary<string, string> { [PodResolver.NetworkStatusAnnotation] = $$"""[{"name":"t1/br-net","interface":"net1","mac":"{{mac}}"}]""" },
        },
        Spec = new V1PodSpec { NodeName = "node-a", Containers = [] },
        Status = new V1PodStatus { Phase = phase },
    };

    private static ResourceStore<InterfaceBandwidth> Targeting(string pod)
    {
        var store = new ResourceStore<InterfaceBandwidth>();
        store.Upsert(new InterfaceBandwidth
        {
            Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "t1", ResourceVersion = "1" },
            Spec = new InterfaceBandwidthSpec { Network = "n", Target = new InterfaceTarget { Kind = InterfaceTarget.PodKind, Name = pod, Interface = "net1" } },
        });
        return store;
    }

    [Fact]
    public void A_status_change_of_an_unnamed_pod_with_the_same_macs_is_ignored() =>
        AgentService.PodChangeMatters(new(Pod("p", "52:54:00:00:00:01", "Pending"), Pod("p", "52:54:00:00:00:01")), Targeting("other")).ShouldBeFalse();

    [Fact]
    public void A_pod_whose_macs_change_matters_for_ownership() =>
        AgentService.PodChangeMatters(new(Pod("p", null), Pod("p", "52:54:00:00:00:01")), Targeting("other")).ShouldBeTrue();

    [Fact]
    public void Any_change_of_a_pod_a_target_names_matters() =>
        AgentService.PodChangeMatters(new(Pod("p", "52:54:00:00:00:01", "Pending"), Pod("p", "52:54:00:00:00:01")), Targeting("p")).ShouldBeTrue();
}
