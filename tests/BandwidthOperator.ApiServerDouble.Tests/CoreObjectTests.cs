using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Nodes, Pods, Events and Leases (transcripts 54–66).</summary>
public sealed class CoreObjectTests
{
    [Fact]
    public async Task Node_status_capacity_is_canonicalised_and_allocatable_defaulted_only_when_absent()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        using var raw = new RawHttp(api);
        var node = await client.CoreV1.CreateNodeAsync(KubernetesJson.Deserialize<V1Node>(Node("node-a").ToJsonString()));
        node.Metadata.Uid.ShouldNotBeNullOrEmpty();
        node.Metadata.Generation.ShouldBeNull();
        node.Spec.Taints.Single().Key.ShouldBe("node.kubernetes.io/not-ready");
        node.Status.NodeInfo.ShouldNotBeNull();

        var merged = await raw.PatchAsync("/api/v1/nodes/node-a/status",
            """{"status":{"capacity":{"bandwidthoperator.io/floor":"1000"}}}""", "application/merge-patch+json");
        var patched = await client.CoreV1.PatchNodeStatusAsync(new V1Patch(
            """[{"op":"add","path":"/status/capacity/bandwidthoperator.io~1floor","value":"2500000"}]""", V1Patch.PatchType.JsonPatch), "node-a");

        ((string?)merged.Json["status"]!["capacity"]!["bandwidthoperator.io/floor"]).ShouldBe("1k");
        ((string?)merged.Json["status"]!["allocatable"]!["bandwidthoperator.io/floor"]).ShouldBe("1k");
        patched.Status.Capacity["bandwidthoperator.io/floor"].ToString().ShouldBe("2500k");
        patched.Status.Allocatable["bandwidthoperator.io/floor"].ToString().ShouldBe("1k");
        merged.Json["metadata"]!["managedFields"]!.AsArray().ShouldContain(e => (string?)e!["subresource"] == "status");
    }

    [Fact]
    public async Task Pods_are_defaulted_and_deleting_one_returns_the_pod()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();

        var pod = await client.CoreV1.CreateNamespacedPodAsync(KubernetesJson.Deserialize<V1Pod>(Pod("workload-a", "node-a").ToJsonString()), "default");
        var deleted = await client.CoreV1.DeleteNamespacedPodAsync("workload-a", "default");

        pod.Status.Phase.ShouldBe("Pending");
        pod.Spec.ServiceAccountName.ShouldBe("default");
        pod.Metadata.Generation.ShouldBe(1);
        deleted.Metadata.Name.ShouldBe("workload-a");
    }

    [Fact]
    public async Task Events_of_both_apis_are_created_and_keep_microsecond_event_time()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        using var raw = new RawHttp(api);

        var modern = await raw.PostAsync("/apis/events.k8s.io/v1/namespaces/default/events", JsonNode.Parse("""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"pod-a-eth0.1","namespace":"default"},
             "eventTime":"2026-11-25T21:31:40.685334Z","reportingController":"bandwidthoperator.io/node-agent",
             "reportingInstance":"node-agent-node-a","action":"InstallClass","reason":"ClassInstalled","type":"Normal","note":"n",
             "regarding":{"apiVersion":"bandwidthoperator.io/v1alpha1","kind":"InterfaceBandwidth","namespace":"default","name":"pod-a-eth0"}}
            """)!);
        var core = await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "pod-a-eth0.2", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { ApiVersion = "bandwidthoperator.io/v1alpha1", Kind = "InterfaceBandwidth", Name = "pod-a-eth0", NamespaceProperty = "default" },
            Reason = "FloorRefused",
            Message = "m",
            Type = "Warning",
        }, "default");

        modern.Status.ShouldBe(HttpStatusCode.Created);
        ((string?)modern.Json["eventTime"]).ShouldBe("2026-11-25T21:31:40.685334Z");
        modern.Json["deprecatedSource"]!.AsObject().Count.ShouldBe(0);
        modern.Json.ContainsKey("deprecatedFirstTimestamp").ShouldBeTrue();
        api.Get(ResourceType.CoreEvents, "default", "pod-a-eth0.2")!.ContainsKey("eventTime").ShouldBeTrue();
        core.Metadata.ResourceVersion.ShouldNotBeNullOrEmpty();
        (await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=pod-a-eth0")).Items.Count.ShouldBe(1);
        var list = await client.EventsV1.ListNamespacedEventAsync("default");
        list.Items.Single().Note.ShouldBe("n");
    }

    [Fact]
    public async Task Leases_are_acquired_renewed_conflict_on_a_stale_resourceVersion_and_taken_over()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();

        var (missing, notFound) = await ClientErrors.FailureOf(() => client.CoordinationV1.ReadNamespacedLeaseAsync("bandwidthoperator-node-a", "default"));
        missing.ShouldBe(HttpStatusCode.NotFound);
        notFound.ShouldBeStatus(404, "NotFound", "leases.coordination.k8s.io \"bandwidthoperator-node-a\" not found");
        ((string?)notFound["details"]!["group"]).ShouldBe("coordination.k8s.io");

        var now = new DateTime(2026, 11, 25, 21, 31, 49, DateTimeKind.Utc).AddTicks(7267570);
        var acquired = await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "bandwidthoperator-node-a", NamespaceProperty = "default" },
            Spec = new V1LeaseSpec { HolderIdentity = "node-agent-node-a_1", LeaseDurationSeconds = 15, AcquireTime = now, RenewTime = now, LeaseTransitions = 0 },
        }, "default");
        var staleCopy = KubernetesJson.Deserialize<V1Lease>(KubernetesJson.Serialize(acquired));

        acquired.Spec.RenewTime = now.AddSeconds(2);
        var renewed = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(acquired, "bandwidthoperator-node-a", "default");
        renewed.Metadata.ResourceVersion.ShouldNotBe(acquired.Metadata.ResourceVersion);

        staleCopy.Spec.RenewTime = now.AddSeconds(3);
        var (conflict, status) = await ClientErrors.FailureOf(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(staleCopy, "bandwidthoperator-node-a", "default"));
        conflict.ShouldBe(HttpStatusCode.Conflict);
        status.ShouldBeStatus(409, "Conflict",
            "Operation cannot be fulfilled on leases.coordination.k8s.io \"bandwidthoperator-node-a\": the object has been modified; please apply your changes to the latest version and try again");

        renewed.Spec.HolderIdentity = "node-agent-node-a_2";
        renewed.Spec.LeaseTransitions = 1;
        var taken = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(renewed, "bandwidthoperator-node-a", "default");
        taken.Spec.HolderIdentity.ShouldBe("node-agent-node-a_2");
        taken.Spec.LeaseTransitions.ShouldBe(1);
        var stored = api.Get(ResourceType.Leases, "default", "bandwidthoperator-node-a")!;
        ((string?)stored["spec"]!["acquireTime"]).ShouldBe("2026-11-25T21:31:49.726757Z");
    }
}
