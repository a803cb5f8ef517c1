using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Api.Resources;
using k8s;
using k8s.Models;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Watch streams (transcripts 25–37, 45).</summary>
public sealed class WatchTests
{
    private const string Ibws = "/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths";

    private static readonly ApiServerDoubleOptions FastBookmarks = new() { BookmarkInterval = TimeSpan.FromMilliseconds(300) };

    private static JsonObject AsJson(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!.AsObject();

    private static string Type(JsonObject e) => (string)e["type"]!;

    private static List<JsonObject> WithoutBookmarks(List<JsonObject> events) => [.. events.Where(e => Type(e) != "BOOKMARK")];

    [Fact]
    public async Task The_client_watch_gets_ADDED_MODIFIED_DELETED_and_BOOKMARK()
    {
        await using var api = await KubeApiServerDouble.StartAsync(FastBookmarks);
        using var client = api.CreateClient();
        var list = AsJson(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths"));
        var rv = (string)list["metadata"]!["resourceVersion"]!;

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stream = client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths",
            allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: 10, cancellationToken: cts.Token);
        var seen = new List<(WatchEventType Type, InterfaceBandwidth Object)>();
        var triggers = Task.Run(async () =>
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(Ibw("pod-w-eth0"), Group, V1alpha1, "default", "interfacebandwidths");
            var patch = new JsonObject { ["spec"] = new JsonObject { ["inbound"] = new JsonObject { ["average"] = "40M" } } };
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                Group, V1alpha1, "default", "interfacebandwidths", "pod-w-eth0");
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths", "pod-w-eth0");
        });

        await foreach (var (type, element) in stream)
        {
            var obj = KubernetesJson.Deserialize<InterfaceBandwidth>(JsonSerializer.Serialize(element));
            seen.Add((type, obj));
            if (type == WatchEventType.Bookmark && seen.Any(s => s.Type == WatchEventType.Deleted))
            {
                break;
            }
        }

        await triggers;
        var events = seen.Where(s => s.Type != WatchEventType.Bookmark).ToList();
        events.Select(s => s.Type).ShouldBe([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted]);
        events[1].Object.Metadata.Generation.ShouldBe(2);
        var rvs = events.Select(s => long.Parse(s.Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        rvs.ShouldBeInOrder(SortDirection.Ascending);
        rvs.Distinct().Count().ShouldBe(3);
        var bookmark = seen[^1];
        bookmark.Type.ShouldBe(WatchEventType.Bookmark);
        long.Parse(bookmark.Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(rvs[^1]);
    }

    [Fact]
    public async Task Watch_lines_are_one_json_object_each_and_bookmarks_hold_only_the_resourceVersion()
    {
        await using var api = await KubeApiServerDouble.StartAsync(FastBookmarks);
        using var raw = new RawHttp(api);
        var rv = api.CurrentResourceVersion;

        var events = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=2",
            whenOpen: async () =>
            {
                await raw.PostAsync(Ibws, Ibw("pod-w-eth0"));
                await raw.DeleteAsync($"{Ibws}/pod-w-eth0");
            });

        WithoutBookmarks(events).Select(Type).ShouldBe(["ADDED", "DELETED"], string.Join("\n", events.Select(e => e.ToJsonString())));
        var bookmark = events.First(e => Type(e) == "BOOKMARK")["object"]!.AsObject();
        bookmark.Select(kv => kv.Key).ShouldBe(["apiVersion", "kind", "metadata"]);
        bookmark["metadata"]!.AsObject().Select(kv => kv.Key).ShouldBe(["resourceVersion"]);
        ((string?)bookmark["kind"]).ShouldBe("InterfaceBandwidth");
    }

    [Fact]
    public async Task A_watch_gets_only_its_own_kinds_events()
    {
        await using var api = await KubeApiServerDouble.StartAsync(FastBookmarks);
        using var raw = new RawHttp(api);
        var rv = api.CurrentResourceVersion;

        var events = await raw.WatchAsync($"/apis/bandwidthoperator.io/v1alpha1/bridgenetworks?watch=true&resourceVersion={rv}&timeoutSeconds=1",
            whenOpen: async () =>
            {
                await raw.PostAsync(Ibws, Ibw("pod-k-eth0"));
                await raw.PostAsync("/api/v1/namespaces/default/events", new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Event",
                    ["metadata"] = new JsonObject { ["name"] = "pod-k-eth0.1" },
                    ["involvedObject"] = new JsonObject { ["kind"] = "InterfaceBandwidth", ["name"] = "pod-k-eth0", ["namespace"] = "default" },
                    ["reason"] = "Test",
                    ["message"] = "m",
                    ["type"] = "Normal",
                });
                await raw.PostAsync("/apis/bandwidthoperator.io/v1alpha1/bridgenetworks", new JsonObject
                {
                    ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
                    ["kind"] = "BridgeNetwork",
                    ["metadata"] = new JsonObject { ["name"] = "tenant-net" },
                    ["spec"] = new JsonObject { ["bridge"] = "br0" },
                });
            });

        events.Select(e => (string?)e["object"]!["kind"]).ShouldBe(["BridgeNetwork"], string.Join("\n", events.Select(e => e.ToJsonString())));
    }

    [Fact]
    public async Task A_field_selector_watch_sends_DELETED_with_the_old_object_when_it_leaves_and_nothing_after()
    {
        await using var api = await KubeApiServerDouble.StartAsync(FastBookmarks);
        using var raw = new RawHttp(api);
        var rv = api.CurrentResourceVersion;
        string moveRv = string.Empty;

        var events = await raw.WatchAsync(
            $"/apis/bandwidthoperator.io/v1alpha1/interfacebandwidths?fieldSelector=spec.nodeName%3Dnode-a&watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=2",
            whenOpen: async () =>
            {
                await raw.PostAsync(Ibws, Ibw("pod-x-eth0"));
                var moved = await raw.PatchAsync($"{Ibws}/pod-x-eth0", """{"spec":{"nodeName":"node-b"}}""", "application/merge-patch+json");
                moveRv = Rv(moved.Json);
                await raw.DeleteAsync($"{Ibws}/pod-x-eth0");
            });

        var changes = WithoutBookmarks(events);
        changes.Select(Type).ShouldBe(["ADDED", "DELETED"]);
        var deleted = changes[1]["object"]!;
        ((string?)deleted["spec"]!["nodeName"]).ShouldBe("node-a");
        Generation(deleted).ShouldBe(1);
        Rv(deleted).ShouldBe(moveRv);
    }

    [Fact]
    public async Task A_label_selector_watch_sends_ADDED_when_an_object_starts_matching()
    {
        await using var api = await KubeApiServerDouble.StartAsync(FastBookmarks);
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));
        var rv = api.CurrentResourceVersion;

        var events = await raw.WatchAsync($"{Ibws}?labelSelector=tier%3Dgold&watch=true&resourceVersion={rv}&timeoutSeconds=1",
            whenOpen: async () =>
            {
                await raw.PatchAsync($"{Ibws}/pod-a-eth0", """{"metadata":{"labels":{"tier":"gold"}}}""", "application/merge-patch+json");
            });

        events.Select(Type).ShouldBe(["ADDED"]);
    }

    [Fact]
    public async Task A_watch_without_resourceVersion_starts_with_ADDED_for_each_object_then_a_bookmark()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var a = api.Seed(Ibw("pod-a-eth0"));
        var e = api.Seed(Ibw("pod-e-eth0", node: "node-b"));

        var events = await raw.WatchAsync($"{Ibws}?watch=true&allowWatchBookmarks=true&timeoutSeconds=3", until: ev => ev.Count == 3);

        events.Select(Type).ShouldBe(["ADDED", "ADDED", "BOOKMARK"]);
        Rv(events[0]["object"]!).ShouldBe(Rv(a));
        Rv(events[1]["object"]!).ShouldBe(Rv(e));
        ((string?)events[2]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]).ShouldBe("true");
        ((string?)events[2]["object"]!["metadata"]!["resourceVersion"]).ShouldBe(api.CurrentResourceVersion);
    }

    [Fact]
    public async Task A_watch_from_an_older_retained_resourceVersion_replays_every_later_event()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var rv = api.CurrentResourceVersion;
        await raw.PostAsync(Ibws, Ibw("pod-w-eth0"));
        await raw.PatchAsync($"{Ibws}/pod-w-eth0", """{"spec":{"inbound":{"average":"40M"}}}""", "application/merge-patch+json");
        await raw.DeleteAsync($"{Ibws}/pod-w-eth0");
        await raw.PostAsync(Ibws, Ibw("pod-x-eth0"));

        var events = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=1");

        WithoutBookmarks(events).Select(Type).ShouldBe(["ADDED", "MODIFIED", "DELETED", "ADDED"]);
        Type(events[^1]).ShouldBe("BOOKMARK");
    }

    [Fact]
    public async Task A_too_old_resourceVersion_is_one_ERROR_event_410_Expired_then_a_relist_and_watch_works()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        using var client = api.CreateClient();
        api.Seed(Ibw("pod-a-eth0"));
        var oldRv = api.CurrentResourceVersion;
        api.Faults.ExpireResourceVersions();

        // The stream ends by itself after the ERROR: with a watch timeout of an hour, a stream that
        // stayed open would run into the reader's limit (60 s) and fail the test.
        var events = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={oldRv}&allowWatchBookmarks=true&timeoutSeconds=3600", limit: TimeSpan.FromSeconds(60));

        events.Count.ShouldBe(1);
        Type(events[0]).ShouldBe("ERROR");
        var status = events[0]["object"]!.AsObject();
        status.ShouldBeStatus(410, "Expired", $"too old resource version: {oldRv} ({api.CurrentResourceVersion})");
        status.ContainsKey("details").ShouldBeFalse();

        var relist = AsJson(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths"));
        var freshRv = (string)relist["metadata"]!["resourceVersion"]!;
        var again = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={freshRv}&timeoutSeconds=1",
            whenOpen: () => raw.PostAsync(Ibws, Ibw("pod-b-eth0")));
        again.Select(Type).ShouldBe(["ADDED"]);
    }

    [Fact]
    public async Task Events_beyond_the_retained_window_expire_by_themselves()
    {
        await using var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { RetainedEvents = 2 });
        using var raw = new RawHttp(api);
        var rv = api.CurrentResourceVersion;
        api.Seed(Ibw("pod-a-eth0"));
        api.Seed(Ibw("pod-b-eth0"));
        api.Seed(Ibw("pod-c-eth0"));

        var events = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}&timeoutSeconds=2");

        events.Select(Type).ShouldBe(["ERROR"]);
        ((int?)events[0]["object"]!["code"]).ShouldBe(410);
    }

    [Fact]
    public async Task The_client_watch_surfaces_the_410_error_event()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        api.Faults.ExpireResourceVersions();

        Exception? error = null;
        var stream = client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths",
            resourceVersion: "1", timeoutSeconds: 5, onError: e => error = e);
        var types = new List<WatchEventType>();
        await foreach (var (type, _) in stream)
        {
            types.Add(type);
        }

        // KubernetesClient turns the ERROR event into a KubernetesException carrying the Status, passed to onError.
        types.ShouldBeEmpty();
        var status = error.ShouldBeOfType<KubernetesException>().Status;
        status.Code.ShouldBe(410);
        status.Reason.ShouldBe("Expired");
    }

    [Fact]
    public async Task A_watch_on_one_object_sees_only_that_object()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));
        api.Seed(Ibw("pod-b-eth0"));

        var events = await raw.WatchAsync($"{Ibws}/pod-b-eth0?watch=true&timeoutSeconds=1");

        events.Select(e => (string?)e["object"]!["metadata"]!["name"]).ShouldBe(["pod-b-eth0"]);
    }
}
