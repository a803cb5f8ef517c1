using System.Net;
using System.Text.Json.Nodes;
using k8s;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Unknown paths and discovery (transcripts 47–49, 51–53).</summary>
public sealed class RoutingTests
{
    [Theory]
    [InlineData("/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidthz")]
    [InlineData("/apis/bandwidthoperator.io/v1alpha1/bridgenetworkz/tenant-blue")]
    [InlineData("/apis/bandwidthoperator.io/v1beta1/namespaces/default/interfacebandwidths")]
    [InlineData("/apis/no.such.group/v1/things")]
    public async Task Unknown_paths_in_api_groups_are_a_plain_text_404(string path)
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);

        var reply = await raw.GetAsync(path);

        reply.Status.ShouldBe(HttpStatusCode.NotFound);
        reply.ContentType.ShouldBe("text/plain; charset=utf-8");
        reply.Text.Trim().ShouldBe("404 page not found");
        reply.Message.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }

    [Fact]
    public async Task An_unknown_core_resource_is_a_json_404_with_empty_details()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);

        var reply = await raw.GetAsync("/api/v1/namespaces/default/nosuchthings");

        reply.Status.ShouldBe(HttpStatusCode.NotFound);
        reply.Json.ShouldBeStatus(404, "NotFound", "the server could not find the requested resource");
        reply.Json["details"]!.AsObject().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Discovery_lists_our_resources_with_status_subresources_and_short_names()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        using var raw = new RawHttp(api);

        var resources = await client.CustomObjects.GetAPIResourcesAsync("bandwidthoperator.io", "v1alpha1");
        var group = await raw.GetAsync("/apis/bandwidthoperator.io");
        var groups = await raw.GetAsync("/apis");
        var core = await raw.GetAsync("/api/v1");

        resources.GroupVersion.ShouldBe("bandwidthoperator.io/v1alpha1");
        resources.Resources.Select(r => r.Name).ShouldBe(["interfacebandwidths", "interfacebandwidths/status", "bridgenetworks", "bridgenetworks/status"]);
        resources.Resources[0].ShortNames.ShouldBe(["ibw"]);
        resources.Resources[0].Namespaced.ShouldBeTrue();
        resources.Resources[1].SingularName.ShouldBe(string.Empty);
        resources.Resources[1].Verbs.ShouldBe(["get", "patch", "update"]);
        resources.Resources[2].Namespaced.ShouldBeFalse();
        JsonNode.DeepEquals(group.Json, JsonNode.Parse("""
            {"kind":"APIGroup","apiVersion":"v1","name":"bandwidthoperator.io",
             "versions":[{"groupVersion":"bandwidthoperator.io/v1alpha1","version":"v1alpha1"}],
             "preferredVersion":{"groupVersion":"bandwidthoperator.io/v1alpha1","version":"v1alpha1"}}
            """)).ShouldBeTrue(group.Text);
        groups.Json["groups"]!.AsArray().Select(g => (string?)g!["name"]).ShouldBe(["bandwidthoperator.io", "events.k8s.io", "coordination.k8s.io"]);
        core.Json["resources"]!.AsArray().Select(r => (string?)r!["name"]).ShouldContain("pods");
    }
}
