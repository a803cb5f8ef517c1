using System.Net;
using System.Text.Json.Nodes;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Deletion with finalizers (transcripts 39–45).</summary>
public sealed class FinalizerTests
{
    private const string Ibws = "/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths";

    private static JsonObject WithFinalizer(string name)
    {
        var ibw = Ibw(name);
        ibw["metadata"]!["finalizers"] = new JsonArray("bandwidthoperator.io/tc-cleanup");
        return ibw;
    }

    [Fact]
    public async Task Delete_marks_terminating_repeats_change_nothing_and_removing_the_finalizer_deletes()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var created = await raw.PostAsync(Ibws, WithFinalizer("pod-f-eth0"));
        created.Status.ShouldBe(HttpStatusCode.Created);

        var deleting = await raw.DeleteAsync($"{Ibws}/pod-f-eth0");
        deleting.Status.ShouldBe(HttpStatusCode.OK);
        var metadata = deleting.Json["metadata"]!;
        metadata["deletionTimestamp"].ShouldNotBeNull();
        ((int?)metadata["deletionGracePeriodSeconds"]).ShouldBe(0);
        Generation(deleting.Json).ShouldBe(2);
        metadata["finalizers"]!.AsArray().Select(f => (string?)f).ShouldBe(["bandwidthoperator.io/tc-cleanup"]);

        var whileTerminating = await raw.GetAsync($"{Ibws}/pod-f-eth0");
        whileTerminating.Status.ShouldBe(HttpStatusCode.OK);
        var again = await raw.DeleteAsync($"{Ibws}/pod-f-eth0");
        again.Status.ShouldBe(HttpStatusCode.OK);
        Rv(again.Json).ShouldBe(Rv(deleting.Json));

        var released = await raw.PatchAsync($"{Ibws}/pod-f-eth0", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        released.Status.ShouldBe(HttpStatusCode.OK);
        released.Json["metadata"]!["finalizers"].ShouldBeNull();
        Rv(released.Json).ShouldBe(Rv(deleting.Json));

        var gone = await raw.GetAsync($"{Ibws}/pod-f-eth0");
        gone.Status.ShouldBe(HttpStatusCode.NotFound);
        gone.Json.ShouldBeStatus(404, "NotFound", "interfacebandwidths.bandwidthoperator.io \"pod-f-eth0\" not found");
    }

    [Fact]
    public async Task Watchers_see_ADDED_MODIFIED_with_deletionTimestamp_then_DELETED_still_listing_the_finalizer()
    {
        await using var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) });
        using var raw = new RawHttp(api);
        var rv = api.CurrentResourceVersion;

        var events = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=2",
            whenOpen: async () =>
            {
                await raw.PostAsync(Ibws, WithFinalizer("pod-g-eth0"));
                await raw.DeleteAsync($"{Ibws}/pod-g-eth0");
                await raw.PatchAsync($"{Ibws}/pod-g-eth0", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
            });

        var changes = events.Where(e => (string?)e["type"] != "BOOKMARK").ToList();
        changes.Select(e => (string?)e["type"]).ShouldBe(["ADDED", "MODIFIED", "DELETED"]);
        changes[1]["object"]!["metadata"]!["deletionTimestamp"].ShouldNotBeNull();
        var deleted = changes[2]["object"]!;
        deleted["metadata"]!["finalizers"]!.AsArray().Count.ShouldBe(1);
        long.Parse(Rv(deleted), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(long.Parse(Rv(changes[1]["object"]!), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_seed_side_delete_helper_honours_finalizers()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        api.Seed(WithFinalizer("pod-h-eth0"));

        api.Delete(ResourceType.InterfaceBandwidths, "default", "pod-h-eth0").ShouldBeFalse();
        api.Modify(ResourceType.InterfaceBandwidths, "default", "pod-h-eth0", o => o["metadata"]!.AsObject().Remove("finalizers"));

        api.Get(ResourceType.InterfaceBandwidths, "default", "pod-h-eth0").ShouldBeNull();
    }
}
