using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Merge and JSON patches on /status and the main resource (transcripts 15–19, 28, 33).</summary>
public sealed class PatchTests
{
    private const string StatusPath = "/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths/pod-a-eth0/status";

    private static JsonObject AsJson(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!.AsObject();

    private static JsonObject Condition(string type, string reason) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = "m",
        ["lastTransitionTime"] = "2026-11-25T21:30:00Z",
        ["observedGeneration"] = 1,
    };

    [Fact]
    public async Task Merge_patch_on_status_replaces_the_conditions_list_and_leaves_generation()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        api.Seed(Ibw("pod-a-eth0"));
        api.Modify(ResourceType.InterfaceBandwidths, "default", "pod-a-eth0",
            o => o["status"] = new JsonObject { ["classId"] = 42, ["conditions"] = new JsonArray(Condition("Ready", "Applied"), Condition("Admitted", "Fits")) }, "status");

        var patch = new JsonObject { ["status"] = new JsonObject { ["classId"] = 43, ["conditions"] = new JsonArray(Condition("Ready", "Reapplied")) } };
        var patched = AsJson(await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));

        ((int?)patched["status"]!["classId"]).ShouldBe(43);
        patched["status"]!["conditions"]!.AsArray().Select(c => (string?)c!["reason"]).ShouldBe(["Reapplied"]);
        Generation(patched).ShouldBe(1);
        patched["status"]!["conditions"]![0]!.AsObject().Select(kv => kv.Key)
            .ShouldBe(["lastTransitionTime", "message", "observedGeneration", "reason", "status", "type"]);
    }

    [Fact]
    public async Task Json_patch_on_status_tests_replaces_and_appends()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));
        api.Modify(ResourceType.InterfaceBandwidths, "default", "pod-a-eth0",
            o => o["status"] = new JsonObject { ["classId"] = 43, ["conditions"] = new JsonArray(Condition("Ready", "Applied")) }, "status");

        var reply = await raw.PatchAsync(StatusPath, """
            [{"op":"test","path":"/status/classId","value":43},
             {"op":"replace","path":"/status/classId","value":44},
             {"op":"add","path":"/status/conditions/-","value":{"type":"Admitted","status":"False","reason":"FloorOvercommitted"}}]
            """, "application/json-patch+json");

        reply.Status.ShouldBe(HttpStatusCode.OK);
        ((int?)reply.Json["status"]!["classId"]).ShouldBe(44);
        reply.Json["status"]!["conditions"]!.AsArray().Select(c => (string?)c!["type"]).ShouldBe(["Ready", "Admitted"]);
    }

    [Fact]
    public async Task Json_patch_whose_test_fails_is_422_with_empty_details()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));

        var reply = await raw.PatchAsync(StatusPath, """
            [{"op":"test","path":"/metadata/resourceVersion","value":"80"},{"op":"replace","path":"/status/classId","value":45}]
            """, "application/json-patch+json");

        reply.Status.ShouldBe((HttpStatusCode)422);
        reply.Json.ShouldBeStatus(422, "Invalid", "the server rejected our request due to an error in our request");
        reply.Json["details"]!.AsObject().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Merge_patch_carrying_a_stale_resourceVersion_is_409_Conflict()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        var seeded = api.Seed(Ibw("pod-a-eth0"));
        api.Modify(ResourceType.InterfaceBandwidths, "default", "pod-a-eth0", o => o["metadata"]!["labels"]!["x"] = "y");

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(seeded) }, ["status"] = new JsonObject { ["classId"] = 45 } };
        var (code, status) = await ClientErrors.FailureOf(() => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));

        code.ShouldBe(HttpStatusCode.Conflict);
        ((string?)status["reason"]).ShouldBe("Conflict");
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_415()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));

        var reply = await raw.PatchAsync(StatusPath, """{"status":{"classId":45}}""", "application/strategic-merge-patch+json");

        reply.Status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        reply.Json.ShouldBeStatus(415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        reply.Json.ContainsKey("details").ShouldBeFalse();
    }

    [Fact]
    public async Task Merge_patch_of_spec_bumps_generation_and_status_patch_on_the_main_resource_is_ignored()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        api.Seed(Ibw("pod-x-eth0"));

        var patch = new JsonObject { ["spec"] = new JsonObject { ["nodeName"] = "node-b" }, ["status"] = new JsonObject { ["classId"] = 9 } };
        var patched = AsJson(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, V1alpha1, "default", "interfacebandwidths", "pod-x-eth0"));

        ((string?)patched["spec"]!["nodeName"]).ShouldBe("node-b");
        Generation(patched).ShouldBe(2);
        patched["status"].ShouldBeNull();
    }

    [Fact]
    public async Task A_write_that_changes_nothing_keeps_the_resourceVersion()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        var seeded = api.Seed(Ibw("pod-a-eth0"));

        var patch = new JsonObject { ["spec"] = new JsonObject { ["nodeName"] = "node-a" } };
        var patched = AsJson(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));

        Rv(patched).ShouldBe(Rv(seeded));
    }
}
