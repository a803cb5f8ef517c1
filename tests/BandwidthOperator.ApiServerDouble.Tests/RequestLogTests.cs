using System.Net;
using k8s;
using k8s.Models;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>The request log names method, path, query, content type, status and the RBAC verb/resource of each call.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task Each_request_is_recorded_with_what_an_RBAC_rule_would_name()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        api.Seed(Ibw("pod-a-eth0"));

        await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths", fieldSelector: "spec.nodeName=node-a");
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"classId":3}}""", V1Patch.PatchType.MergePatch),
            Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0");
        await ClientErrors.FailureOf(() => client.CoordinationV1.ReadNamespacedLeaseAsync("l", "default"));

        var log = api.Requests.Snapshot();
        log.Count.ShouldBe(3);
        log[0].Method.ShouldBe("GET");
        log[0].Verb.ShouldBe("list");
        log[0].Group.ShouldBe("bandwidthoperator.io");
        log[0].Resource.ShouldBe("interfacebandwidths");
        log[0].Namespace.ShouldBe("default");
        log[0].Query.ShouldContain("fieldSelector=spec.nodeName");
        log[0].StatusCode.ShouldBe(200);
        log[1].Verb.ShouldBe("patch");
        log[1].Subresource.ShouldBe("status");
        log[1].Name.ShouldBe("pod-a-eth0");
        log[1].ContentType!.ShouldStartWith("application/merge-patch+json");
        log[1].Path.ShouldBe("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths/pod-a-eth0/status");
        log[2].Verb.ShouldBe("get");
        log[2].Group.ShouldBe("coordination.k8s.io");
        log[2].StatusCode.ShouldBe((int)HttpStatusCode.NotFound);

        api.Requests.Permissions().ShouldBe(
        [
            new RbacPermission("bandwidthoperator.io", "interfacebandwidths", "list"),
            new RbacPermission("bandwidthoperator.io", "interfacebandwidths/status", "patch"),
            new RbacPermission("coordination.k8s.io", "leases", "get"),
        ], ignoreOrder: true);

        api.Requests.Clear();
        api.Requests.Snapshot().ShouldBeEmpty();
    }

    [Fact]
    public async Task Watches_are_recorded_when_their_stream_starts()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);

        await raw.WatchAsync("/apis/bandwidthoperator.io/v1alpha1/bridgenetworks?watch=1&timeoutSeconds=1");

        var watch = api.Requests.Snapshot().Single();
        watch.Verb.ShouldBe("watch");
        watch.Resource.ShouldBe("bridgenetworks");
        watch.Namespace.ShouldBeNull();
        watch.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task Tests_can_wait_for_a_request_and_for_an_object_state()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        api.Seed(Ibw("pod-a-eth0"));

        var writer = Task.Run(async () =>
        {
            await Task.Delay(100);
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"classId":3}}""", V1Patch.PatchType.MergePatch),
                Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0");
        });

        var written = await api.WaitForAsync(ResourceType.InterfaceBandwidths, "default", "pod-a-eth0", o => o?["status"]?["classId"] is not null);
        var request = await api.WaitForRequestAsync(r => r.Subresource == "status");
        await writer;

        ((int?)written!["status"]!["classId"]).ShouldBe(3);
        request.Verb.ShouldBe("patch");
        await Should.ThrowAsync<TimeoutException>(() => api.WaitForAsync(ResourceType.InterfaceBandwidths, "default", "nope", o => o is not null, TimeSpan.FromMilliseconds(100)));
    }
}
