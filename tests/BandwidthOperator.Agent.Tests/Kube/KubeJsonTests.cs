using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Resources;
using k8s;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.Kube;

/// <summary>
/// The agent's JSON (<see cref="KubeJson"/>) writes what KubernetesClient's <c>KubernetesJson</c> wrote and
/// reads what it read, and every type the agent exchanges with the API server comes from the
/// source-generated <see cref="AgentJsonContext"/>, not from the reflection fall-back.
/// </summary>
public sealed class KubeJsonTests
{
    public static TheoryData<Type> Exchanged() =>
    [
        typeof(KubeList<InterfaceBandwidth>), typeof(KubeList<BridgeNetwork>), typeof(KubeList<VirtualMachineInstance>),
        typeof(KubeList<V1Pod>), typeof(KubeList<V1Node>), typeof(KubeList<V1Namespace>), typeof(KubeWatchLine),
        typeof(InterfaceBandwidth), typeof(BridgeNetwork), typeof(VirtualMachineInstance), typeof(V1Pod), typeof(V1Node), typeof(V1Namespace),
        typeof(V1Status), typeof(Corev1Event), typeof(V1TokenReview), typeof(V1SubjectAccessReview),
        typeof(IList<V1Condition>), typeof(BridgeNetworkNodeStatus[]), typeof(InterfaceBandwidthNodeStatus[]),
    ];

    [Theory]
    [MemberData(nameof(Exchanged))]
    public void Every_exchanged_type_is_source_generated(Type type) =>
        AgentJsonContext.Default.GetTypeInfo(type).ShouldNotBeNull($"{type} falls back to reflection");

    [Fact]
    public void An_event_and_conditions_are_written_as_KubernetesClient_wrote_them()
    {
        var at = new DateTime(2026, 11, 25, 21, 31, 40, DateTimeKind.Utc);
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = "vm-a.", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { ApiVersion = "bandwidthoperator.io/v1alpha1", Kind = "InterfaceBandwidth", Name = "vm-a", Uid = "u" },
            Reason = "FloorRefused",
            Message = "floor 1G exceeds",
            Type = "Warning",
            Source = new V1EventSource { Component = "bandwidth-operator-agent", Host = "node-a" },
            FirstTimestamp = at,
            LastTimestamp = at.AddTicks(1234567),
            Count = 1,
        };
        IList<V1Condition> conditions = [new V1Condition { Type = "Ready", Status = "True", Reason = "Shaped", Message = "m", LastTransitionTime = at, ObservedGeneration = 3 }];

        JsonNode.DeepEquals(JsonNode.Parse(KubeJson.Serialize(ev)), JsonNode.Parse(KubernetesJson.Serialize(ev))).ShouldBeTrue(KubeJson.Serialize(ev));
        JsonNode.DeepEquals(JsonNode.Parse(KubeJson.Serialize(conditions)), JsonNode.Parse(KubernetesJson.Serialize(conditions))).ShouldBeTrue(KubeJson.Serialize(conditions));
        KubeJson.Serialize(ev).ShouldContain("\"lastTimestamp\":\"2026-11-25T21:31:40.123456Z\"");
    }

    // Recorded exchange 26 (an InterfaceBandwidth in a watch event, times in whole seconds) and a node's quantities (exchange 58).
    [Fact]
    public void Objects_are_read_as_KubernetesClient_read_them()
    {
        const string ibw = """
            {"apiVersion":"bandwidthoperator.io/v1alpha1","kind":"InterfaceBandwidth","metadata":{"creationTimestamp":"2026-11-25T21:29:06Z","generation":1,
             "labels":{"bandwidthoperator.io/network":"tenant-blue"},"name":"pod-w-eth0","namespace":"default","resourceVersion":"99","uid":"94a4"},
             "spec":{"inbound":{"average":"20M","floor":"10M"},"macAddress":"0a:58:0a:f4:00:0c","network":"tenant-blue","nodeName":"node-a"},
             "status":{"classId":43,"conditions":[{"type":"Ready","status":"True","reason":"Shaped","message":"ok","lastTransitionTime":"2026-11-25T21:30:00.000001Z","observedGeneration":1}]}}
            """;
        const string node = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a","labels":{"kubernetes.io/hostname":"node-a"}},"status":{"capacity":{"cpu":"2","bandwidthoperator.io/floor-inbound":"10G"},"allocatable":{"cpu":"1500m"}}}
            """;

        using var ibwDocument = JsonDocument.Parse(ibw);
        using var nodeDocument = JsonDocument.Parse(node);
        var ours = KubeJson.Deserialize<InterfaceBandwidth>(ibwDocument.RootElement)!;
        var theirs = KubernetesJson.Deserialize<InterfaceBandwidth>(ibw);
        var ourNode = KubeJson.Deserialize<V1Node>(nodeDocument.RootElement)!;

        KubeJson.Serialize(ours).ShouldBe(KubeJson.Serialize(theirs));
        ours.Metadata.CreationTimestamp.ShouldBe(new DateTime(2026, 11, 25, 21, 29, 6, DateTimeKind.Utc));
        ours.Metadata.CreationTimestamp!.Value.Kind.ShouldBe(DateTimeKind.Utc);
        ours.Status!.Conditions![0].LastTransitionTime.ShouldBe(theirs.Status!.Conditions![0].LastTransitionTime);
        ours.Spec.Inbound!.Floor.ShouldBe(theirs.Spec.Inbound!.Floor);
        ourNode.Status.Capacity["bandwidthoperator.io/floor-inbound"].ToString().ShouldBe("10G");
        ourNode.Status.Allocatable["cpu"].ToString().ShouldBe("1500m");
        ourNode.Metadata.Labels["kubernetes.io/hostname"].ShouldBe("node-a");
        KubeJson.Serialize(ourNode).ShouldContain("\"labels\":{\"kubernetes.io/hostname\":\"node-a\"}");
    }

    [Fact]
    public void Short_strings_that_repeat_across_objects_are_kept_once()
    {
        var message = new string('m', KubeStringPool.MaxLength + 1);
        InterfaceBandwidth Read(string name)
        {
            var json = $$$"""
                {"apiVersion":"bandwidthoperator.io/v1alpha1","kind":"InterfaceBandwidth","metadata":{"name":"{{{name}}}","namespace":"tenant-a"},
                 "spec":{"network":"tenant-blue","nodeName":"node-a","macAddress":"52:54:00:00:00:01"},
                 "status":{"conditions":[{"type":"Ready","status":"True","reason":"Shaped","message":"{{{message}}}"}]}}
                """;
            using var document = JsonDocument.Parse(json);
            return KubeJson.Deserialize<InterfaceBandwidth>(document.RootElement)!;
        }

        var a = Read("vm-a");
        var b = Read("vm-b");

        ReferenceEquals(a.ApiVersion, b.ApiVersion).ShouldBeTrue();
        ReferenceEquals(a.Metadata.NamespaceProperty, b.Metadata.NamespaceProperty).ShouldBeTrue();
        ReferenceEquals(a.Spec.Network, b.Spec.Network).ShouldBeTrue();
        ReferenceEquals(a.Status!.Conditions![0].Reason, b.Status!.Conditions![0].Reason).ShouldBeTrue();
        a.Status.Conditions[0].Message.ShouldBe(message);
        ReferenceEquals(a.Status.Conditions[0].Message, b.Status.Conditions[0].Message).ShouldBeFalse("longer strings are not pooled");
        KubeJson.Strings.Count.ShouldBeLessThanOrEqualTo(KubeStringPool.MaxEntries);
    }
}
