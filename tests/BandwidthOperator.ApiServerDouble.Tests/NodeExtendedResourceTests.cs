using System.Net;
using System.Text.Json.Nodes;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>JSON patches of a Node's status with an extended resource, as kube-apiserver v1.34 answers them (transcripts 71–77).</summary>
public sealed class NodeExtendedResourceTests
{
    private const string Key = "floor.bandwidthoperator.io~1tenant-blue";
    private const string Name = "floor.bandwidthoperator.io/tenant-blue";

    private static string Patch(string op, string? value) => value is null
        ? $$"""[{"op":"{{op}}","path":"/status/capacity/{{Key}}"},{"op":"{{op}}","path":"/status/allocatable/{{Key}}"}]"""
        : $$"""[{"op":"{{op}}","path":"/status/capacity/{{Key}}","value":"{{value}}"},{"op":"{{op}}","path":"/status/allocatable/{{Key}}","value":"{{value}}"}]""";

    private static async Task<RawHttp.Reply> CreateNodeAWithCapacityAsync(RawHttp raw)
    {
        // Follows 71: a Node as a kubelet registers it, with capacity and allocatable.
        var node = Node("node-a");
        node["status"] = new JsonObject
        {
            ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
            ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
        };
        var created = await raw.PostAsync("/api/v1/nodes", node);
        created.Status.ShouldBe(HttpStatusCode.Created);
        return created;
    }

    [Fact]
    public async Task An_extended_resource_is_added_replaced_and_removed_by_json_patch_with_the_slash_escaped()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        await CreateNodeAWithCapacityAsync(raw);

        // Follows 72: add → 200, the key sorted among cpu/memory/pods, a managedFields entry for the status subresource.
        var added = await raw.PatchAsync("/api/v1/nodes/node-a/status", Patch("add", "10G"), "application/json-patch+json");
        added.Status.ShouldBe(HttpStatusCode.OK);
        added.Json["status"]!["capacity"]!.AsObject().Select(kv => kv.Key).ShouldBe(["cpu", Name, "memory", "pods"]);
        ((string?)added.Json["status"]!["allocatable"]![Name]).ShouldBe("10G");
        added.Json["metadata"]!["managedFields"]!.AsArray().ShouldContain(e => (string?)e!["subresource"] == "status");

        // Follows 75: replace → 200.
        var replaced = await raw.PatchAsync("/api/v1/nodes/node-a/status", Patch("replace", "9G"), "application/json-patch+json");
        ((string?)replaced.Json["status"]!["capacity"]![Name]).ShouldBe("9G");
        ((string?)replaced.Json["status"]!["allocatable"]![Name]).ShouldBe("9G");

        // Follows 76: remove → 200, the keys gone and the status entry of managedFields with them.
        var removed = await raw.PatchAsync("/api/v1/nodes/node-a/status", Patch("remove", null), "application/json-patch+json");
        removed.Status.ShouldBe(HttpStatusCode.OK);
        removed.Json["status"]!["capacity"]!.AsObject().ContainsKey(Name).ShouldBeFalse();
        removed.Json["status"]!["allocatable"]!.AsObject().ContainsKey(Name).ShouldBeFalse();
        ((string?)removed.Json["status"]!["capacity"]!["cpu"]).ShouldBe("4");
        removed.Json["metadata"]!["managedFields"]!.AsArray().ShouldNotContain(e => (string?)e!["subresource"] == "status");
    }

    [Theory]
    [InlineData("1500m")] // follows 73
    [InlineData("1.5")] // follows 74: echoed in canonical form
    public async Task A_fractional_extended_resource_is_refused_naming_both_fields(string value)
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        await CreateNodeAWithCapacityAsync(raw);

        var refused = await raw.PatchAsync("/api/v1/nodes/node-a/status", Patch("add", value), "application/json-patch+json");

        refused.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        refused.Json.ShouldBeStatus(422, "Invalid",
            $"Node \"node-a\" is invalid: [status.capacity.{Name}: Invalid value: \"1500m\": must be an integer, status.allocatable.{Name}: Invalid value: \"1500m\": must be an integer]");
        refused.Json["details"]!["group"].ShouldBeNull();
        ((string?)refused.Json["details"]!["kind"]).ShouldBe("Node");
        var causes = refused.Json["details"]!["causes"]!.AsArray();
        causes.Select(c => (string?)c!["field"]).ShouldBe([$"status.capacity.{Name}", $"status.allocatable.{Name}"]);
        causes.ShouldAllBe(c => (string?)c!["reason"] == "FieldValueInvalid");
        var node = api.Get(ResourceType.Nodes, null, "node-a")!;
        node["status"]!["capacity"]!.AsObject().ContainsKey(Name).ShouldBeFalse("nothing was written");
    }

    [Fact]
    public async Task Adding_below_a_capacity_map_the_node_lacks_is_refused_but_adding_the_whole_map_works()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        (await raw.PostAsync("/api/v1/nodes", Node("node-b"))).Status.ShouldBe(HttpStatusCode.Created);

        // Follows 77: generic 422, details {}.
        var refused = await raw.PatchAsync("/api/v1/nodes/node-b/status", Patch("add", "10G"), "application/json-patch+json");
        refused.Json.ShouldBeStatus(422, "Invalid", "the server rejected our request due to an error in our request");
        refused.Json["details"]!.AsObject().Count.ShouldBe(0);

        // The index's note after 77 (checked on node-b, not recorded): add of the whole map → 200, allocatable defaulted to a copy.
        var whole = await raw.PatchAsync("/api/v1/nodes/node-b/status",
            $$$"""[{"op":"add","path":"/status/capacity","value":{"{{{Name}}}":"10000M"}}]""", "application/json-patch+json");
        whole.Status.ShouldBe(HttpStatusCode.OK);
        ((string?)whole.Json["status"]!["capacity"]![Name]).ShouldBe("10G");
        ((string?)whole.Json["status"]!["allocatable"]![Name]).ShouldBe("10G");
    }
}
