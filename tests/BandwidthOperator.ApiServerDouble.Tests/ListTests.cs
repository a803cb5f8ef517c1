using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>LIST with selectors and pages (transcripts 07–10, 38, 56).</summary>
public sealed class ListTests
{
    private static JsonObject AsJson(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!.AsObject();

    private static async Task<KubeApiServerDouble> WithTwoInterfacesAsync()
    {
        var api = await KubeApiServerDouble.StartAsync();
        api.Seed(Ibw("pod-a-eth0", node: "node-a", mac: "0a:58:0a:f4:00:05"));
        api.Seed(Ibw("pod-e-eth0", node: "node-b", mac: "0a:58:0a:f4:01:09"));
        return api;
    }

    [Fact]
    public async Task Label_selector_lists_the_matching_items_with_kind_apiVersion_and_empty_continue()
    {
        await using var api = await WithTwoInterfacesAsync();
        using var client = api.CreateClient();

        var list = AsJson(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths",
            labelSelector: "bandwidthoperator.io/node=node-b"));

        ((string?)list["kind"]).ShouldBe("InterfaceBandwidthList");
        ((string?)list["apiVersion"]).ShouldBe("bandwidthoperator.io/v1alpha1");
        var item = list["items"]!.AsArray().Single()!;
        ((string?)item["metadata"]!["name"]).ShouldBe("pod-e-eth0");
        ((string?)item["kind"]).ShouldBe("InterfaceBandwidth");
        ((string?)list["metadata"]!["continue"]).ShouldBe(string.Empty);
        long.Parse((string)list["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThanOrEqualTo(long.Parse(Rv(item), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("bandwidthoperator.io/node!=node-b", "pod-a-eth0")]
    [InlineData("bandwidthoperator.io/node in (node-a,node-c)", "pod-a-eth0")]
    [InlineData("bandwidthoperator.io/node notin (node-a)", "pod-e-eth0")]
    [InlineData("bandwidthoperator.io/node,!missing", "pod-a-eth0,pod-e-eth0")]
    [InlineData("missing", "")]
    public async Task Label_selector_operators_select_like_the_api_server(string selector, string expected)
    {
        await using var api = await WithTwoInterfacesAsync();
        using var client = api.CreateClient();

        var list = AsJson(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths", labelSelector: selector));

        string.Join(",", list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"])).ShouldBe(expected);
    }

    [Fact]
    public async Task Field_selector_on_spec_nodeName_is_supported_through_selectableFields()
    {
        await using var api = await WithTwoInterfacesAsync();
        using var client = api.CreateClient();

        var list = AsJson(await client.CustomObjects.ListCustomObjectForAllNamespacesAsync(Group, V1alpha1, "interfacebandwidths", fieldSelector: "spec.nodeName=node-a"));
        var byName = AsJson(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths", fieldSelector: "metadata.name!=pod-a-eth0"));

        list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ShouldBe(["pod-a-eth0"]);
        byName["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ShouldBe(["pod-e-eth0"]);
    }

    [Fact]
    public async Task Field_selector_on_an_unselectable_field_is_400_BadRequest_without_details()
    {
        await using var api = await WithTwoInterfacesAsync();
        using var raw = new RawHttp(api);

        var reply = await raw.GetAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths?fieldSelector=spec.network%3Dtenant-blue");

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.Json.ShouldBeStatus(400, "BadRequest", "field label not supported: spec.network");
        reply.Json.ContainsKey("details").ShouldBeFalse();
    }

    [Fact]
    public async Task Limit_pages_with_an_opaque_continue_token_and_remainingItemCount()
    {
        await using var api = await WithTwoInterfacesAsync();
        api.Seed(Ibw("pod-x-eth0", ns: "other"));
        using var client = api.CreateClient();

        var first = AsJson(await client.CustomObjects.ListCustomObjectForAllNamespacesAsync(Group, V1alpha1, "interfacebandwidths", limit: 2));
        var token = (string)first["metadata"]!["continue"]!;
        var second = AsJson(await client.CustomObjects.ListCustomObjectForAllNamespacesAsync(Group, V1alpha1, "interfacebandwidths", limit: 2, continueParameter: token));

        first["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ShouldBe(["pod-a-eth0", "pod-e-eth0"]);
        ((int?)first["metadata"]!["remainingItemCount"]).ShouldBe(1);
        token.ShouldNotBeNullOrEmpty();
        second["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ShouldBe(["pod-x-eth0"]);
        ((string?)second["metadata"]!["continue"]).ShouldBe(string.Empty);
        ((string?)second["metadata"]!["resourceVersion"]).ShouldBe((string?)first["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task List_with_an_exact_expired_resourceVersion_is_HTTP_410_Expired()
    {
        await using var api = await WithTwoInterfacesAsync();
        using var raw = new RawHttp(api);
        api.Faults.ExpireResourceVersions();

        var reply = await raw.GetAsync("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths?resourceVersion=1&resourceVersionMatch=Exact");

        reply.Status.ShouldBe(HttpStatusCode.Gone);
        reply.Json.ShouldBeStatus(410, "Expired", "The resourceVersion for the provided list is too old.");
    }

    [Fact]
    public async Task Pods_list_by_spec_nodeName_without_kind_on_items_and_without_continue()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        api.Seed(Pod("workload-a", "node-a"));
        api.Seed(Pod("workload-b", "node-b"));
        using var client = api.CreateClient();
        using var raw = new RawHttp(api);

        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node-a");
        var reply = await raw.GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a");

        pods.Items.Select(p => p.Metadata.Name).ShouldBe(["workload-a"]);
        pods.Items[0].Status.Phase.ShouldBe("Pending");
        ((string?)reply.Json["kind"]).ShouldBe("PodList");
        reply.Json["items"]![0]!.AsObject().ContainsKey("kind").ShouldBeFalse();
        reply.Json["metadata"]!.AsObject().ContainsKey("continue").ShouldBeFalse();
    }
}
