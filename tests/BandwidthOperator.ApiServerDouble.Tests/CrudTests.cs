using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Api.Resources;
using k8s;
using k8s.Models;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Create, get, PUT and DELETE (transcripts 01–03, 11–14, 29, 46).</summary>
public sealed class CrudTests
{
    private static JsonObject AsJson(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!.AsObject();

    [Fact]
    public async Task Create_sets_uid_resourceVersion_generation_creationTimestamp_and_managedFields_and_get_returns_it()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();

        var created = AsJson(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Ibw("pod-a-eth0"), Group, V1alpha1, "default", "interfacebandwidths"));

        var metadata = created["metadata"]!.AsObject();
        Guid.TryParse((string?)metadata["uid"], out _).ShouldBeTrue();
        long.Parse(Rv(created), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        Generation(created).ShouldBe(1);
        ((string)metadata["creationTimestamp"]!).ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        var managed = metadata["managedFields"]!.AsArray().Single()!;
        ((string?)managed["operation"]).ShouldBe("Update");
        ((string?)managed["fieldsType"]).ShouldBe("FieldsV1");
        managed["fieldsV1"]!["f:spec"]!["f:nodeName"].ShouldNotBeNull();
        // keys come back sorted, int-or-string keeps its JSON type (01)
        created.Select(kv => kv.Key).ShouldBe(["apiVersion", "kind", "metadata", "spec"]);
        created["spec"]!["inbound"]!["floor"]!.GetValueKind().ShouldBe(JsonValueKind.Number);
        ((string?)created["spec"]!["inbound"]!["average"]).ShouldBe("100M");

        var typed = await client.CustomObjects.GetNamespacedCustomObjectAsync<InterfaceBandwidth>(Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0");
        typed.Metadata.ResourceVersion.ShouldBe(Rv(created));
        typed.Spec.NodeName.ShouldBe("node-a");
    }

    [Fact]
    public async Task Create_of_an_existing_name_is_409_AlreadyExists_naming_the_plural()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Ibw("pod-a-eth0"), Group, V1alpha1, "default", "interfacebandwidths");

        var (code, status) = await ClientErrors.FailureOf(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(Ibw("pod-a-eth0"), Group, V1alpha1, "default", "interfacebandwidths"));

        code.ShouldBe(HttpStatusCode.Conflict);
        status.ShouldBeStatus(409, "AlreadyExists", "interfacebandwidths.bandwidthoperator.io \"pod-a-eth0\" already exists");
        JsonNode.DeepEquals(status["details"], new JsonObject { ["name"] = "pod-a-eth0", ["group"] = "bandwidthoperator.io", ["kind"] = "interfacebandwidths" }).ShouldBeTrue();
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_404_NotFound()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();

        var (code, status) = await ClientErrors.FailureOf(() =>
            client.CustomObjects.GetNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths", "pod-z-eth0"));

        code.ShouldBe(HttpStatusCode.NotFound);
        status.ShouldBeStatus(404, "NotFound", "interfacebandwidths.bandwidthoperator.io \"pod-z-eth0\" not found");
        JsonNode.DeepEquals(status["details"], new JsonObject { ["name"] = "pod-z-eth0", ["group"] = "bandwidthoperator.io", ["kind"] = "interfacebandwidths" }).ShouldBeTrue();
    }

    [Fact]
    public async Task Put_of_spec_bumps_generation_and_drops_status_while_labels_only_do_not_bump_it()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        var created = AsJson(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Ibw("pod-a-eth0"), Group, V1alpha1, "default", "interfacebandwidths"));

        var changed = created.DeepClone().AsObject();
        changed["spec"]!["inbound"]!["average"] = "150M";
        changed["status"] = new JsonObject { ["classId"] = 42 };
        var afterSpec = AsJson(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(changed, Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));
        Generation(afterSpec).ShouldBe(2);
        afterSpec["status"].ShouldBeNull();
        Rv(afterSpec).ShouldNotBe(Rv(created));

        afterSpec["metadata"]!["labels"]!["bandwidthoperator.io/tier"] = "gold";
        var afterLabels = AsJson(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(afterSpec, Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));
        Generation(afterLabels).ShouldBe(2);
        Rv(afterLabels).ShouldNotBe(Rv(afterSpec));
        ((string?)afterLabels["metadata"]!["labels"]!["bandwidthoperator.io/tier"]).ShouldBe("gold");
    }

    [Fact]
    public async Task Put_status_with_a_stale_resourceVersion_is_409_Conflict()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        var created = AsJson(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Ibw("pod-a-eth0"), Group, V1alpha1, "default", "interfacebandwidths"));
        api.Modify(ResourceType.InterfaceBandwidths, "default", "pod-a-eth0", o => o["metadata"]!["labels"]!["x"] = "y");

        var stale = created.DeepClone().AsObject();
        stale["status"] = new JsonObject { ["classId"] = 42, ["observedGeneration"] = 1 };
        var (code, status) = await ClientErrors.FailureOf(() =>
            client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(stale, Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));

        code.ShouldBe(HttpStatusCode.Conflict);
        status.ShouldBeStatus(409, "Conflict",
            "Operation cannot be fulfilled on interfacebandwidths.bandwidthoperator.io \"pod-a-eth0\": the object has been modified; please apply your changes to the latest version and try again");
        ((string?)status["details"]!["kind"]).ShouldBe("interfacebandwidths");
    }

    [Fact]
    public async Task Put_status_stores_status_ignores_spec_and_keeps_generation()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        var created = AsJson(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Ibw("pod-a-eth0"), Group, V1alpha1, "default", "interfacebandwidths"));

        var write = created.DeepClone().AsObject();
        write["spec"]!["inbound"]!["average"] = "999M";
        write["status"] = new JsonObject { ["classId"] = 42, ["observedGeneration"] = 1 };
        var stored = AsJson(await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(write, Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));

        ((int?)stored["status"]!["classId"]).ShouldBe(42);
        ((string?)stored["spec"]!["inbound"]!["average"]).ShouldBe("100M");
        Generation(stored).ShouldBe(1);
        var statusEntry = stored["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["subresource"] == "status")!;
        statusEntry["fieldsV1"]!["f:status"]!["f:classId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Delete_without_finalizers_answers_a_Success_Status_with_the_uid()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var created = api.Seed(Ibw("pod-x-eth0"));

        var reply = await raw.DeleteAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths/pod-x-eth0");

        reply.Status.ShouldBe(HttpStatusCode.OK);
        var expected = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = new JsonObject
            {
                ["name"] = "pod-x-eth0",
                ["group"] = "bandwidthoperator.io",
                ["kind"] = "interfacebandwidths",
                ["uid"] = (string?)created["metadata"]!["uid"],
            },
        };
        JsonNode.DeepEquals(reply.Json, expected).ShouldBeTrue(reply.Text);
        api.Get(ResourceType.InterfaceBandwidths, "default", "pod-x-eth0").ShouldBeNull();
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_is_404_on_namespaces_without_group()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();

        var (code, status) = await ClientErrors.FailureOf(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(Ibw("pod-n-eth0", ns: "no-such-ns"), Group, V1alpha1, "no-such-ns", "interfacebandwidths"));

        code.ShouldBe(HttpStatusCode.NotFound);
        status.ShouldBeStatus(404, "NotFound", "namespaces \"no-such-ns\" not found");
        JsonNode.DeepEquals(status["details"], new JsonObject { ["name"] = "no-such-ns", ["kind"] = "namespaces" }).ShouldBeTrue();
    }

    [Fact]
    public async Task Typed_objects_round_trip_through_the_seed_and_read_helpers()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        var seeded = api.Seed(new InterfaceBandwidth
        {
            Metadata = new V1ObjectMeta { Name = "vm-a-net1", NamespaceProperty = "tenant-a" },
            Spec = new InterfaceBandwidthSpec { Network = "tenant-net", NodeName = "node-a", MacAddress = "52:54:00:6b:3c:01" },
            Status = new InterfaceBandwidthStatus { ClassId = 3, ObservedGeneration = 1 },
        });

        seeded.Status!.ClassId.ShouldBe(3);
        api.Get(ResourceType.Namespaces, null, "tenant-a").ShouldNotBeNull();
        api.Get<InterfaceBandwidth>(ResourceType.InterfaceBandwidths, "tenant-a", "vm-a-net1")!.Metadata.Uid.ShouldBe(seeded.Metadata.Uid);
        api.List(ResourceType.InterfaceBandwidths).Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_generic_client_creates_reads_and_patches_our_kinds()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var kubernetes = api.CreateClient();
        using var generic = new GenericClient(kubernetes, Group, V1alpha1, "interfacebandwidths", disposeClient: false);
        var ibw = KubernetesJson.Deserialize<InterfaceBandwidth>(Ibw("vm-a-net1").ToJsonString());

        var created = await generic.CreateNamespacedAsync(ibw, "default");
        var read = await generic.ReadNamespacedAsync<InterfaceBandwidth>("default", "vm-a-net1");
        var patched = await generic.PatchNamespacedAsync<InterfaceBandwidth>(
            new V1Patch("""{"metadata":{"finalizers":["bandwidthoperator.io/tc-cleanup"]}}""", V1Patch.PatchType.MergePatch), "default", "vm-a-net1");

        read.Metadata.Uid.ShouldBe(created.Metadata.Uid);
        patched.Metadata.Finalizers.ShouldBe(["bandwidthoperator.io/tc-cleanup"]);
        patched.Metadata.Generation.ShouldBe(1);
    }
}
