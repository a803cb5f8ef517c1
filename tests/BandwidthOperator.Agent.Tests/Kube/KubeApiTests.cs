using System.Net;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.ApiServerDouble.Admission;
using BandwidthOperator.Agent.Tests.EndToEnd;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace BandwidthOperator.Agent.Tests.Kube;

/// <summary>
/// The agent's own API client (<see cref="KubeApi"/>) against the API-server double over HTTP: each test
/// names the recorded exchange (README's transcripts of a real kube-apiserver) whose request it makes and
/// whose answer it reads.
/// </summary>
public sealed class KubeApiTests
{
    private const string Ibws = "apis/bandwidthoperator.io/v1alpha1/interfacebandwidths";

    // Recorded exchanges 08 (fieldSelector spec.nodeName) and 10 (limit, continue).
    [Fact]
    public async Task A_list_follows_continue_page_by_page_with_its_selectors()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        for (var i = 0; i < 7; i++)
        {
            SeedInterface(api, $"vm-{i}", i < 5 ? "node-a" : "node-b");
        }

        using var client = KubeApi.Create(api.ClientConfiguration());
        api.Requests.Clear();

        var list = await client.ListAsync<InterfaceBandwidth>(Ibws, "spec.nodeName=node-a", null, 2, CancellationToken.None);

        list.Items.Select(i => i.Metadata.Name).Order(StringComparer.Ordinal).ShouldBe(["vm-0", "vm-1", "vm-2", "vm-3", "vm-4"]);
        list.Items.ShouldAllBe(i => i.Spec.NodeName == "node-a");
        list.ResourceVersion.ShouldBe(api.CurrentResourceVersion);
        var lists = api.Requests.Snapshot().Where(r => r.Verb == "list").ToList();
        lists.Count.ShouldBe(3, "5 objects in pages of 2");
        lists.ShouldAllBe(r => r.Query.Contains("fieldSelector=spec.nodeName%3Dnode-a", StringComparison.Ordinal) && r.Query.Contains("limit=2", StringComparison.Ordinal));
        lists[0].Query.ShouldNotContain("continue=");
        lists.Skip(1).ShouldAllBe(r => r.Query.Contains("continue=", StringComparison.Ordinal));
    }

    // Recorded exchange 26 (watch with bookmarks: ADDED, MODIFIED, DELETED, BOOKMARK) and 25 (the LIST before it).
    [Fact]
    public async Task A_watch_yields_added_modified_deleted_and_bookmarks_from_the_lists_resource_version()
    {
        await using var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        SeedInterface(api, "vm-0", "node-a");
        using var client = KubeApi.Create(api.ClientConfiguration());
        var list = await client.ListAsync<InterfaceBandwidth>(Ibws, null, null, null, CancellationToken.None);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType Type, string? Name, string? ResourceVersion)>();
        var errors = new List<Exception>();

        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.WatchAsync<InterfaceBandwidth>(Ibws, null, null, list.ResourceVersion!, 30, errors.Add, stop.Token))
            {
                lock (seen)
                {
                    seen.Add((type, item.Metadata?.Name, item.Metadata?.ResourceVersion));
                    if (type == WatchEventType.Bookmark && seen.Any(s => s.Type == WatchEventType.Deleted))
                    {
                        return;
                    }
                }
            }
        });
        await AgentFixture.UntilAsync(() => api.OpenWatches == 1, "the watch to open");
        SeedInterface(api, "vm-1", "node-a");
        api.Modify(ResourceType.InterfaceBandwidths, "bench", "vm-0", o => o["spec"]!["network"] = "other");
        api.Delete(ResourceType.InterfaceBandwidths, "bench", "vm-1");
        await watching.WaitAsync(stop.Token);

        errors.ShouldBeEmpty();
        var events = seen.Where(s => s.Type != WatchEventType.Bookmark).Select(s => (s.Type, s.Name)).ToList();
        events.ShouldBe([(WatchEventType.Added, "vm-1"), (WatchEventType.Modified, "vm-0"), (WatchEventType.Deleted, "vm-1")]);
        var bookmark = seen.Last();
        bookmark.Type.ShouldBe(WatchEventType.Bookmark);
        long.Parse(bookmark.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(
            long.Parse(seen.First(s => s.Type == WatchEventType.Deleted).ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
        var watch = api.Requests.Snapshot().Single(r => r.Verb == "watch");
        watch.Query.ShouldContain("allowWatchBookmarks=true");
        watch.Query.ShouldContain("resourceVersion=" + list.ResourceVersion);
        watch.Query.ShouldContain("timeoutSeconds=30");
    }

    // Recorded exchange 36: a watch from a compacted resourceVersion is a 200 whose one event is ERROR with a 410 Status.
    [Fact]
    public async Task A_watch_from_an_expired_resource_version_reports_the_410_status()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        SeedInterface(api, "vm-0", "node-a");
        using var client = KubeApi.Create(api.ClientConfiguration());
        var list = await client.ListAsync<InterfaceBandwidth>(Ibws, null, null, null, CancellationToken.None);
        SeedInterface(api, "vm-1", "node-a");
        api.Faults.ExpireResourceVersions();
        var errors = new List<Exception>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var items = new List<InterfaceBandwidth>();
        await foreach (var (_, item) in client.WatchAsync<InterfaceBandwidth>(Ibws, null, null, list.ResourceVersion!, 5, errors.Add, stop.Token))
        {
            items.Add(item);
        }

        items.ShouldBeEmpty();
        var gone = errors.ShouldHaveSingleItem().ShouldBeOfType<KubernetesException>();
        gone.Status.Code.ShouldBe(410);
        gone.Status.Reason.ShouldBe("Expired");
    }

    // Recorded exchanges 36 (ERROR 410 on the watch) and 25 (the LIST again): the watcher over this client lists again and goes on.
    [Fact]
    public async Task The_watcher_lists_again_after_a_410_and_sees_what_changed_meanwhile()
    {
        await using var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        SeedInterface(api, "vm-0", "node-a");
        using var client = KubeApi.Create(api.ClientConfiguration());
        var store = new ResourceStore<InterfaceBandwidth>();
        var source = new CustomResourceSource<InterfaceBandwidth>(client, ApiGroup.Group, ApiGroup.Version, InterfaceBandwidth.Plural, InterfaceBandwidth.KubeKind);
        var watcher = new ResourceWatcher<InterfaceBandwidth>(source, store, _ => { }, TimeProvider.System, NullLogger.Instance, TimeSpan.FromMilliseconds(10));
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(stop.Token);
        await AgentFixture.UntilAsync(() => watcher.Synced && api.OpenWatches == 1, "the first list and watch");

        api.Faults.ExpireResourceVersions();
        api.Faults.DropWatches();
        SeedInterface(api, "vm-1", "node-a");
        await AgentFixture.UntilAsync(() => watcher.Lists == 2 && store.Get("bench/vm-1") is not null, "a new list after 410");

        await stop.CancelAsync();
        await running;
        api.Requests.Snapshot().Count(r => r.Verb == "list").ShouldBe(2);
    }

    // Recorded exchanges 15 (merge patch of status, application/merge-patch+json), 59/72 (JSON patch of node
    // status, application/json-patch+json) and 21 (server-side apply of status, application/apply-patch+yaml, fieldManager, force).
    [Fact]
    public async Task Patches_go_out_with_the_content_type_of_their_kind()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        SeedInterface(api, "vm-0", "node-a");
        api.Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = "node-a" } });
        using var client = KubeApi.Create(api.ClientConfiguration());

        var merged = await client.PatchAsync<InterfaceBandwidth>(
            Ibws.Replace("interfacebandwidths", "namespaces/bench/interfacebandwidths", StringComparison.Ordinal) + "/vm-0/status",
            """{"status":{"classId":43,"observedGeneration":1}}""", KubeApi.MergePatch, CancellationToken.None);
        var node = await client.PatchAsync<V1Node>("api/v1/nodes/node-a/status",
            """[{"op":"add","path":"/status/capacity","value":{"bandwidthoperator.io/floor":"1G"}}]""", KubeApi.JsonPatch, CancellationToken.None);
        var applied = await client.PatchAsync<InterfaceBandwidth>(
            Ibws.Replace("interfacebandwidths", "namespaces/bench/interfacebandwidths", StringComparison.Ordinal) + "/vm-0/status" + KubeApi.Query(("fieldManager", "bandwidth-operator-node-a"), ("force", "true")),
            """{"apiVersion":"bandwidthoperator.io/v1alpha1","kind":"InterfaceBandwidth","metadata":{"name":"vm-0","namespace":"bench"},"status":{"nodes":[]}}""",
            KubeApi.ApplyPatch, CancellationToken.None);

        merged.Status!.ClassId.ShouldBe(43);
        node.Status.Capacity["bandwidthoperator.io/floor"].ToString().ShouldBe("1G");
        applied.Metadata.Name.ShouldBe("vm-0");
        var patches = api.Requests.Snapshot().Where(r => r.Method == "PATCH").ToList();
        patches.Select(r => (r.ContentType ?? "").Split(';')[0]).ShouldBe(["application/merge-patch+json", "application/json-patch+json", "application/apply-patch+yaml"]);
        patches.ShouldAllBe(r => r.StatusCode == 200 && r.Subresource == "status");
        patches[2].Query.ShouldBe("?fieldManager=bandwidth-operator-node-a&force=true");
    }

    // Recorded exchanges 54 (a Node with labels) and 58 (its capacity and allocatable): a LIST of nodes with a field selector.
    [Fact]
    public async Task Nodes_are_listed_with_their_labels_and_quantities()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = "node-a", ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = "node-a", ["tier"] = "gold" } },
            ["status"] = new JsonObject { ["capacity"] = new JsonObject { ["cpu"] = "2" } },
        });
        using var client = KubeApi.Create(api.ClientConfiguration());

        var nodes = await client.ListAsync<V1Node>("api/v1/nodes", "metadata.name=node-a", null, null, CancellationToken.None);

        var node = nodes.Items.ShouldHaveSingleItem();
        node.Metadata.Labels.ShouldBe(new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-a", ["tier"] = "gold" }, ignoreOrder: true);
        node.Status.Capacity["cpu"].ToString().ShouldBe("2");
    }

    // Recorded exchanges 46 (GET of an object that does not exist: 404 Status) and 114 (403 with a Status message).
    [Fact]
    public async Task A_missing_object_reads_as_null_and_a_refusal_throws_with_its_status_and_body()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = KubeApi.Create(api.ClientConfiguration());

        (await client.GetAsync<InterfaceBandwidth>("apis/bandwidthoperator.io/v1alpha1/namespaces/bench/interfacebandwidths/nope", CancellationToken.None)).ShouldBeNull();
        using var injected = api.Faults.FailNext(1, 403);
        var refused = await Should.ThrowAsync<HttpOperationException>(() => client.ListAsync<InterfaceBandwidth>(Ibws, null, null, null, CancellationToken.None));

        refused.Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        JsonNode.Parse(refused.Response.Content)!["kind"]!.GetValue<string>().ShouldBe("Status");
    }

    // Recorded exchanges 101 (a pod-bound token) and 113 (a status patch with it): a rotated token file is used from the next request on.
    [Fact]
    public async Task Each_request_carries_the_token_the_file_holds_now()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        api.AddToken("first", AdmissionUser.Admin);
        api.AddToken("second", AdmissionUser.Admin);
        var dir = Directory.CreateTempSubdirectory("bwo-token-");
        try
        {
            var path = Path.Combine(dir.FullName, "token");
            await File.WriteAllTextAsync(path, "first\n");
            var config = api.ClientConfiguration();
            config.TokenProvider = new TokenFile(path);
            using var client = KubeApi.Create(config);
            (await client.ListAsync<InterfaceBandwidth>(Ibws, null, null, null, CancellationToken.None)).Items.ShouldBeEmpty();

            // The kubelet writes the new token; the old one stops working.
            await File.WriteAllTextAsync(path, "second\n");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(1));
            api.RevokeToken("first");

            (await client.ListAsync<InterfaceBandwidth>(Ibws, null, null, null, CancellationToken.None)).Items.ShouldBeEmpty();
            api.Requests.Snapshot().Where(r => r.Verb == "list").ShouldAllBe(r => r.StatusCode == 200);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // Recorded exchange 61 (core v1 Event created, 201): the body is the Event as KubernetesClient's JSON would write it.
    [Fact]
    public async Task A_created_object_is_sent_as_json_and_read_back_as_stored()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = KubeApi.Create(api.ClientConfiguration());
        var now = new DateTime(2026, 11, 25, 21, 31, 40, DateTimeKind.Utc);

        var stored = await client.CreateAsync<Corev1Event>("api/v1/namespaces/default/events", new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = "vm-0.1", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { Kind = "InterfaceBandwidth", Name = "vm-0", NamespaceProperty = "default" },
            Reason = "FloorRefused",
            Type = "Warning",
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        }, CancellationToken.None);

        stored.Metadata.Uid.ShouldNotBeNullOrEmpty();
        var raw = api.Get(ResourceType.CoreEvents, "default", "vm-0.1")!;
        raw["firstTimestamp"]!.GetValue<string>().ShouldBe("2026-11-25T21:31:40Z");
        raw["involvedObject"]!["namespace"]!.GetValue<string>().ShouldBe("default");
        raw.ContainsKey("action").ShouldBeFalse("nulls are left out");
        api.Requests.Snapshot().Single(r => r.Method == "POST").ContentType!.ShouldStartWith("application/json");
    }

    private static void SeedInterface(KubeApiServerDouble api, string name, string node) =>
        api.Seed(new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "InterfaceBandwidth",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "bench" },
            ["spec"] = new JsonObject { ["network"] = "net", ["nodeName"] = node, ["macAddress"] = "52:54:00:00:00:0" + name[^1] },
        });
}
