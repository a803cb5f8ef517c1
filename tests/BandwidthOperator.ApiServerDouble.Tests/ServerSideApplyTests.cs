using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Server-side apply of BridgeNetwork status.nodes by per-node field managers (transcripts 20–24).</summary>
public sealed class ServerSideApplyTests
{
    private const string StatusPath = "/apis/bandwidthoperator.io/v1alpha1/bridgenetworks/tenant-blue/status";

    private static JsonObject AsJson(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!.AsObject();

    private static string NodeEntry(string node, bool ready, string floorSum, string message) =>
        $"  - nodeName: {node}\n    ready: {(ready ? "true" : "false")}\n    floorSum: {floorSum}\n    interfaces: 2\n    message: {message}\n";

    private static string Apply(params string[] entries) =>
        "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata:\n  name: tenant-blue\nstatus:\n  observedGeneration: 1\n"
        + (entries.Length > 0 ? "  nodes:\n" + string.Concat(entries) : string.Empty);

    private static Task<RawHttp.Reply> ApplyAsync(RawHttp raw, string manager, string body, bool force = true) =>
        raw.PatchAsync($"{StatusPath}?fieldManager={manager}{(force ? "&force=true" : string.Empty)}", body, "application/apply-patch+yaml");

    private static JsonObject ManagerEntry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == manager)!.AsObject();

    [Fact]
    public async Task Two_managers_each_own_their_node_entry()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var created = await raw.PostAsync("/apis/bandwidthoperator.io/v1alpha1/bridgenetworks", Bn());
        created.Status.ShouldBe(HttpStatusCode.Created);

        var a = await ApplyAsync(raw, "agent-node-a", Apply(NodeEntry("node-a", true, "1000000", "2 interfaces admitted")));
        var b = await ApplyAsync(raw, "agent-node-b", Apply(NodeEntry("node-b", false, "10M", "bridge br-blue not found")));

        a.Status.ShouldBe(HttpStatusCode.OK, a.Text);
        b.Status.ShouldBe(HttpStatusCode.OK, b.Text);
        var nodes = b.Json["status"]!["nodes"]!.AsArray();
        nodes.Select(n => (string?)n!["nodeName"]).ShouldBe(["node-a", "node-b"]);
        nodes[0]!["floorSum"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        ((string?)nodes[1]!["floorSum"]).ShouldBe("10M");
        Generation(b.Json).ShouldBe(1);

        var entryA = ManagerEntry(b.Json, "agent-node-a");
        ((string?)entryA["operation"]).ShouldBe("Apply");
        ((string?)entryA["subresource"]).ShouldBe("status");
        var ownedA = entryA["fieldsV1"]!["f:status"]!["f:nodes"]!.AsObject();
        ownedA.Select(kv => kv.Key).ShouldBe(["k:{\"nodeName\":\"node-a\"}"]);
        ownedA["k:{\"nodeName\":\"node-a\"}"]!.AsObject().Select(kv => kv.Key).ShouldBe([".", "f:floorSum", "f:interfaces", "f:message", "f:nodeName", "f:ready"]);
        ManagerEntry(b.Json, "agent-node-b")["fieldsV1"]!["f:status"]!["f:nodes"]!.AsObject().Select(kv => kv.Key).ShouldBe(["k:{\"nodeName\":\"node-b\"}"]);
        ManagerEntry(b.Json, "agent-node-a")["fieldsV1"]!["f:status"]!["f:observedGeneration"].ShouldNotBeNull();
        ManagerEntry(b.Json, "agent-node-b")["fieldsV1"]!["f:status"]!["f:observedGeneration"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Applying_into_another_managers_entry_without_force_is_409_with_FieldManagerConflict_causes()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Bn());
        await ApplyAsync(raw, "agent-node-a", Apply(NodeEntry("node-a", true, "1000000", "ok")));
        await ApplyAsync(raw, "agent-node-b", Apply(NodeEntry("node-b", false, "10M", "bridge br-blue not found")));

        var reply = await ApplyAsync(raw, "agent-node-a",
            Apply(NodeEntry("node-a", true, "1000000", "ok"), "  - nodeName: node-b\n    ready: true\n    interfaces: 5\n"), force: false);

        reply.Status.ShouldBe(HttpStatusCode.Conflict);
        reply.Json.ShouldBeStatus(409, "Conflict",
            "Apply failed with 2 conflicts: conflicts with \"agent-node-b\" with subresource \"status\":\n" +
            "- .status.nodes[nodeName=\"node-b\"].interfaces\n- .status.nodes[nodeName=\"node-b\"].ready");
        var causes = reply.Json["details"]!["causes"]!.AsArray();
        causes.Select(c => (string?)c!["field"]).ShouldBe([".status.nodes[nodeName=\"node-b\"].interfaces", ".status.nodes[nodeName=\"node-b\"].ready"]);
        causes.ShouldAllBe(c => (string?)c!["reason"] == "FieldManagerConflict" && (string?)c!["message"] == "conflict with \"agent-node-b\" with subresource \"status\"");
    }

    [Fact]
    public async Task A_manager_that_drops_its_entry_removes_it_and_keeps_observedGeneration()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Bn());
        await ApplyAsync(raw, "agent-node-a", Apply(NodeEntry("node-a", true, "1000000", "ok")));
        await ApplyAsync(raw, "agent-node-b", Apply(NodeEntry("node-b", false, "10M", "bridge br-blue not found")));

        var reply = await ApplyAsync(raw, "agent-node-a", Apply());

        reply.Status.ShouldBe(HttpStatusCode.OK);
        reply.Json["status"]!["nodes"]!.AsArray().Select(n => (string?)n!["nodeName"]).ShouldBe(["node-b"]);
        ((int?)reply.Json["status"]!["observedGeneration"]).ShouldBe(1);
        JsonNode.DeepEquals(ManagerEntry(reply.Json, "agent-node-a")["fieldsV1"], JsonNode.Parse("""{"f:status":{"f:observedGeneration":{}}}""")).ShouldBeTrue();
    }

    [Fact]
    public async Task The_client_can_apply_with_a_field_manager_and_force()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        api.Seed(Bn());
        var body = new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "BridgeNetwork",
            ["metadata"] = new JsonObject { ["name"] = "tenant-blue" },
            ["status"] = new JsonObject { ["observedGeneration"] = 1, ["nodes"] = new JsonArray(new JsonObject { ["nodeName"] = "node-a", ["ready"] = true }) },
        };

        var applied = AsJson(await client.CustomObjects.PatchClusterCustomObjectStatusAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), Group, V1alpha1, "bridgenetworks", "tenant-blue", fieldManager: "agent-node-a", force: true));

        applied["status"]!["nodes"]!.AsArray().Single()!["ready"]!.GetValue<bool>().ShouldBeTrue();
        ((string?)api.Requests.Snapshot()[^1].ContentType).ShouldStartWith("application/apply-patch+yaml");
    }

    [Fact]
    public async Task Apply_without_fieldManager_is_400()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Bn());

        var reply = await raw.PatchAsync(StatusPath, Apply(), "application/apply-patch+yaml");

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Conditions_are_a_list_map_keyed_by_type_across_managers()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));
        const string path = "/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths/pod-a-eth0/status";
        static string Body(string type, string status) =>
            $$$"""{"apiVersion":"bandwidthoperator.io/v1alpha1","kind":"InterfaceBandwidth","metadata":{"name":"pod-a-eth0","namespace":"default"},"status":{"conditions":[{"type":"{{{type}}}","status":"{{{status}}}"}]}}""";

        await raw.PatchAsync($"{path}?fieldManager=agent&force=true", Body("Ready", "True"), "application/apply-patch+yaml");
        var second = await raw.PatchAsync($"{path}?fieldManager=admission&force=true", Body("Admitted", "False"), "application/apply-patch+yaml");
        var conflict = await raw.PatchAsync($"{path}?fieldManager=admission", Body("Ready", "False"), "application/apply-patch+yaml");

        second.Json["status"]!["conditions"]!.AsArray().Select(c => (string?)c!["type"]).ShouldBe(["Ready", "Admitted"]);
        conflict.Status.ShouldBe(HttpStatusCode.Conflict);
        ((string?)conflict.Json["details"]!["causes"]![0]!["field"]).ShouldBe(".status.conditions[type=\"Ready\"].status");
    }

    [Fact]
    public async Task Apply_on_the_main_resource_owns_labels_and_leaves_generation_for_metadata()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Bn());
        const string body = """{"apiVersion":"bandwidthoperator.io/v1alpha1","kind":"BridgeNetwork","metadata":{"name":"tenant-blue","labels":{"team":"blue"}}}""";

        var reply = await raw.PatchAsync("/apis/bandwidthoperator.io/v1alpha1/bridgenetworks/tenant-blue?fieldManager=labeller", body, "application/apply-patch+yaml");

        reply.Status.ShouldBe(HttpStatusCode.OK);
        ((string?)reply.Json["metadata"]!["labels"]!["team"]).ShouldBe("blue");
        ((string?)reply.Json["spec"]!["bridge"]).ShouldBe("br-blue");
        Generation(reply.Json).ShouldBe(1);
        var entry = ManagerEntry(reply.Json, "labeller");
        entry.ContainsKey("subresource").ShouldBeFalse();
        entry["fieldsV1"]!["f:metadata"]!["f:labels"]!["f:team"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Apply_to_a_missing_object_creates_it()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);

        var reply = await raw.PatchAsync("/apis/bandwidthoperator.io/v1alpha1/bridgenetworks/tenant-red?fieldManager=gitops",
            "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata:\n  name: tenant-red\nspec:\n  bridge: br-red\n", "application/apply-patch+yaml");

        reply.Status.ShouldBe(HttpStatusCode.Created);
        Generation(reply.Json).ShouldBe(1);
        ((string?)ManagerEntry(reply.Json, "gitops")["operation"]).ShouldBe("Apply");
    }
}
