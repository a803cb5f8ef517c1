using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Quantities;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.Workloads;

/// <summary>
/// Pod → node and MAC from the Multus network-status annotation, as recorded exchange 88 sets it
/// (<c>[{"name":"default/br-net","interface":"net1","mac":"52:54:00:aa:00:01",...}]</c>) on the pod of 85.
/// </summary>
public sealed class PodResolverTests
{
    private const string Recorded88Annotation = """[{"name":"default/br-net","interface":"net1","mac":"52:54:00:aa:00:01","ips":["10.88.0.11"],"dns":{}}]""";

    private static V1Pod Pod(string? annotation = Recorded88Annotation, string? node = "node-a", string phase = "Pending") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "virt-launcher-vm-a",
            NamespaceProperty = "default",
            Annotations = annotation is null ? null : new Dictionary<string, string> { [PodResolver.NetworkStatusAnnotation] = annotation },
        },
        Spec = new V1PodSpec { NodeName = node, Containers = [] },
        Status = new V1PodStatus { Phase = phase },
    };

    [Theory]
    [InlineData("default/br-net")]
    [InlineData("br-net")]
    [InlineData("net1")]
    public void The_attachment_is_found_by_network_or_in_pod_interface_name(string attachment)
    {
        var placement = PodResolver.Resolve(Pod(), attachment);

        placement.Problem.ShouldBeNull();
        placement.Mac.ShouldBe(MacAddress.Parse("52:54:00:aa:00:01"));
        placement.Holdings.ShouldBe([new NodeHolding("node-a", WorkloadRole.Running)]);
    }

    [Fact]
    public void A_network_of_another_namespace_is_not_matched_by_its_short_name()
    {
        var placement = PodResolver.Resolve(Pod(annotation: """[{"name":"other/br-net","interface":"net1","mac":"52:54:00:aa:00:01"}]"""), "br-net");

        placement.Mac.ShouldBeNull();
        placement.Reason.ShouldBe(WorkloadReasons.InterfaceNotFound);
        placement.Problem!.ShouldContain("has no attachment named br-net");
        placement.Problem!.ShouldContain("other/br-net (net1)");
    }

    [Fact]
    public void Without_the_annotation_nothing_is_guessed()
    {
        var placement = PodResolver.Resolve(Pod(annotation: null), "net1");

        placement.Mac.ShouldBeNull();
        placement.Problem.ShouldBe("Pod default/virt-launcher-vm-a has no k8s.v1.cni.cncf.io/network-status annotation (Multus has not attached its networks yet)");
    }

    [Fact]
    public void A_malformed_annotation_says_so()
    {
        PodResolver.Resolve(Pod(annotation: "{not json"), "net1").Problem!.ShouldContain("is not a JSON list of attachments");
    }

    [Fact]
    public void An_unscheduled_or_finished_pod_holds_nothing()
    {
        PodResolver.Resolve(Pod(node: null), "net1").Reason.ShouldBe(WorkloadReasons.WorkloadNotScheduled);
        var done = PodResolver.Resolve(Pod(phase: "Succeeded"), "net1");
        done.Reason.ShouldBe(WorkloadReasons.WorkloadNotRunning);
        done.Holdings.ShouldBeEmpty();
    }

    [Fact]
    public void The_recorded_pod_decodes_and_resolves()
    {
        // The object of recorded exchange 88's reply, trimmed to what the agent reads.
        var pod = KubernetesJson.Deserialize<V1Pod>("""
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"virt-launcher-vm-a","namespace":"default","resourceVersion":"223",
             "annotations":{"k8s.v1.cni.cncf.io/network-status":"[{\"name\":\"default/br-net\",\"interface\":\"net1\",\"mac\":\"52:54:00:aa:00:01\",\"ips\":[\"10.88.0.11\"],\"dns\":{}}]"}},
             "spec":{"containers":[{"name":"compute","image":"x"}],"nodeName":"node-a"},"status":{"phase":"Pending","qosClass":"BestEffort"}}
            """);

        PodResolver.Resolve(pod, "net1").Mac.ShouldBe(MacAddress.Parse("52:54:00:aa:00:01"));
    }
}
