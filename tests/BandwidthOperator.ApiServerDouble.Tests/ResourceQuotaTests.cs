using System.Net;
using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Pods requesting an extended resource and a ResourceQuota capping it (transcripts 78–84).</summary>
public sealed class ResourceQuotaTests
{
    private const string Name = "floor.bandwidthoperator.io/tenant-blue";

    private static JsonObject Pod(string name, string? limit, string? request = null)
    {
        var resources = new JsonObject();
        if (limit is not null)
        {
            resources["limits"] = new JsonObject { [Name] = limit };
        }

        if (request is not null)
        {
            resources["requests"] = new JsonObject { [Name] = request };
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "node-a",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "compute", ["image"] = "x", ["resources"] = resources }),
            },
        };
    }

    [Fact]
    public async Task An_extended_resource_limit_becomes_the_request_and_a_different_request_is_refused()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);

        // Follows 78.
        var created = await raw.PostAsync("/api/v1/namespaces/default/pods", Pod("virt-launcher-vm-a", "1G"));
        created.Status.ShouldBe(HttpStatusCode.Created);
        ((string?)created.Json["spec"]!["containers"]![0]!["resources"]!["requests"]![Name]).ShouldBe("1G");

        // Follows 79.
        var refused = await raw.PostAsync("/api/v1/namespaces/default/pods", Pod("floor-request-ne-limit", "2G", "1G"));
        refused.Json.ShouldBeStatus(422, "Invalid",
            $"Pod \"floor-request-ne-limit\" is invalid: spec.containers[0].resources.requests: Invalid value: \"1G\": must be equal to {Name} limit of 2G");
    }

    [Fact]
    public async Task A_quota_is_enforced_once_its_status_is_filled_and_refuses_the_pod_that_exceeds_it()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        (await raw.PostAsync("/api/v1/namespaces/default/pods", Pod("virt-launcher-vm-a", "1G"))).Status.ShouldBe(HttpStatusCode.Created);

        // Follows 80: created with an empty status.
        var quota = await raw.PostAsync("/api/v1/namespaces/default/resourcequotas", JsonNode.Parse("{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"floor-tenant-blue\",\"namespace\":\"default\"}, \"spec\":{\"hard\":{\"requests." + Name + "\":\"1G\"}}}")!);
        quota.Status.ShouldBe(HttpStatusCode.Created);
        quota.Json["status"]!.AsObject().Count.ShouldBe(0);

        // Follows 81: not enforced while status.hard is empty. Then 82: that pod goes again.
        (await raw.PostAsync("/api/v1/namespaces/default/pods", Pod("floor-pod-2", "1G"))).Status.ShouldBe(HttpStatusCode.Created);
        (await raw.DeleteAsync("/api/v1/namespaces/default/pods/floor-pod-2")).Status.ShouldBe(HttpStatusCode.OK);

        // Follows 83: the quota controller's status.
        (await raw.PatchAsync("/api/v1/namespaces/default/resourcequotas/floor-tenant-blue/status",
            "{\"status\":{\"hard\":{\"requests." + Name + "\":\"1G\"},\"used\":{\"requests." + Name + "\":\"1G\"}}}", "application/merge-patch+json")).Status.ShouldBe(HttpStatusCode.OK);

        // Follows 84.
        var refused = await raw.PostAsync("/api/v1/namespaces/default/pods", Pod("floor-pod-2", "1G"));
        refused.Json.ShouldBeStatus(403, "Forbidden",
            $"pods \"floor-pod-2\" is forbidden: exceeded quota: floor-tenant-blue, requested: requests.{Name}=1G, used: requests.{Name}=1G, limited: requests.{Name}=1G");
        refused.Json["details"]!.ToJsonString().ShouldBe("""{"name":"floor-pod-2","kind":"pods"}""");
        api.Get(ResourceType.Pods, "default", "floor-pod-2").ShouldBeNull();
    }

    [Fact]
    public async Task A_pod_within_the_quota_is_admitted_and_counted_in_its_used()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        await raw.PostAsync("/api/v1/namespaces/default/resourcequotas", JsonNode.Parse("{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"q\",\"namespace\":\"default\"},\"spec\":{\"hard\":{\"requests." + Name + "\":\"3G\"}}}")!);
        await raw.PatchAsync("/api/v1/namespaces/default/resourcequotas/q/status",
            "{\"status\":{\"hard\":{\"requests." + Name + "\":\"3G\"},\"used\":{\"requests." + Name + "\":\"0\"}}}", "application/merge-patch+json");

        (await raw.PostAsync("/api/v1/namespaces/default/pods", Pod("a", "1500M"))).Status.ShouldBe(HttpStatusCode.Created);
        (await raw.PostAsync("/api/v1/namespaces/default/pods", Pod("b", "1500M"))).Status.ShouldBe(HttpStatusCode.Created);
        (await raw.PostAsync("/api/v1/namespaces/default/pods", Pod("c", "1M"))).Status.ShouldBe(HttpStatusCode.Forbidden);

        ((string?)api.Get(ResourceType.ResourceQuotas, "default", "q")!["status"]!["used"]![$"requests.{Name}"]).ShouldBe("3G");
    }
}
