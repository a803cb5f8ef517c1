using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Each fault switch, on and off.</summary>
public sealed class FaultTests
{
    private const string Ibws = "/apis/bandwidthoperator.io/v1alpha1/namespaces/default/interfacebandwidths";

    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task The_next_N_matching_requests_fail_then_requests_succeed_again(int code, string reason)
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        api.Seed(Ibw("pod-a-eth0"));
        var rule = api.Faults.FailNext(2, code, new RequestFilter(Verb: "get", Resource: "interfacebandwidths"));

        for (var i = 0; i < 2; i++)
        {
            var (status, body) = await ClientErrors.FailureOf(() => client.CustomObjects.GetNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));
            ((int)status).ShouldBe(code);
            ((string?)body["reason"]).ShouldBe(reason);
        }

        await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0");
        rule.Hits.ShouldBe(2);
        rule.IsActive.ShouldBeFalse();
        api.Requests.Snapshot().Count(r => r.Injected).ShouldBe(2);
    }

    [Fact]
    public async Task A_429_carries_Retry_After_like_a_watch_refused_while_storage_initialises()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Faults.FailNext(1, 429, new RequestFilter(Verb: "watch"));

        var refused = await raw.GetAsync($"{Ibws}?watch=true&resourceVersion=1&allowWatchBookmarks=true&timeoutSeconds=5");

        refused.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Message.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        refused.Json.ShouldBeStatus(429, "TooManyRequests", "storage is (re)initializing");
        JsonNode.DeepEquals(refused.Json["details"], new JsonObject { ["retryAfterSeconds"] = 1 }).ShouldBeTrue();
    }

    [Fact]
    public async Task A_fraction_of_requests_fails_until_the_rule_is_disposed()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var rule = api.Faults.FailFraction(0.5, 500, new RequestFilter(Verb: "list"));

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            codes.Add((await raw.GetAsync(Ibws)).Status);
        }

        rule.Dispose();
        var after = await raw.GetAsync(Ibws);

        codes.Count(c => c == HttpStatusCode.InternalServerError).ShouldBeInRange(8, 32);
        codes.Count(c => c == HttpStatusCode.OK).ShouldBeGreaterThan(0);
        after.Status.ShouldBe(HttpStatusCode.OK);
    }

    // No wall-clock upper bound (a loaded machine can take any time to answer): a request held by a
    // long latency is still pending after an unaffected one was answered, and a short latency delays
    // a request by at least its length.
    [Fact]
    public async Task Latency_delays_matching_requests_only()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        var raw = new RawHttp(api);
        var slow = Task.FromResult<RawHttp.Reply?>(null);
        try
        {
            using (var rule = api.Faults.AddLatency(TimeSpan.FromHours(1), new RequestFilter(Resource: "bridgenetworks")))
            {
                slow = raw.GetAsync("/apis/bandwidthoperator.io/v1alpha1/bridgenetworks")!;
                await Poll.UntilAsync(() => rule.Hits == 1, TimeSpan.FromSeconds(60));

                var fast = await raw.GetAsync(Ibws).WaitAsync(TimeSpan.FromSeconds(60));

                fast.Status.ShouldBe(HttpStatusCode.OK);
                slow.IsCompleted.ShouldBeFalse("the bridgenetworks request waits out its hour");
            }
        }
        finally
        {
            raw.Dispose(); // aborts the held request
        }

        await Should.ThrowAsync<Exception>(slow);

        using var raw2 = new RawHttp(api);
        using var shortRule = api.Faults.AddLatency(TimeSpan.FromMilliseconds(300), new RequestFilter(Resource: "bridgenetworks"), count: 1);
        var clock = Stopwatch.StartNew();
        (await raw2.GetAsync("/apis/bandwidthoperator.io/v1alpha1/bridgenetworks")).Status.ShouldBe(HttpStatusCode.OK);
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250), "a delay never ends early");
        shortRule.Hits.ShouldBe(1);
    }

    [Fact]
    public async Task A_conflict_storm_answers_status_writes_with_409_until_it_ends()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        api.Seed(Ibw("pod-a-eth0"));
        var patch = new V1Patch("""{"status":{"classId":3}}""", V1Patch.PatchType.MergePatch);
        var storm = api.Faults.StartConflictStorm();

        for (var i = 0; i < 3; i++)
        {
            var (code, status) = await ClientErrors.FailureOf(() =>
                client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0"));
            code.ShouldBe(HttpStatusCode.Conflict);
            status.ShouldBeStatus(409, "Conflict",
                "Operation cannot be fulfilled on interfacebandwidths.bandwidthoperator.io \"pod-a-eth0\": the object has been modified; please apply your changes to the latest version and try again");
        }

        // spec writes are not part of the storm
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch),
            Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0");
        storm.Dispose();
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, Group, V1alpha1, "default", "interfacebandwidths", "pod-a-eth0");
        ((int?)api.Get(ResourceType.InterfaceBandwidths, "default", "pod-a-eth0")!["status"]!["classId"]).ShouldBe(3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open_watch_streams_can_be_dropped(bool abortConnection)
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        var rv = api.CurrentResourceVersion;

        var watch = raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}", limit: TimeSpan.FromSeconds(20));
        await Poll.UntilAsync(() => api.OpenWatches == 1);
        api.Faults.DropWatches(abortConnection).ShouldBe(1);

        if (abortConnection)
        {
            await Should.ThrowAsync<Exception>(() => watch);
        }
        else
        {
            (await watch).ShouldBeEmpty();
        }

        await Poll.UntilAsync(() => api.OpenWatches == 0);
    }

    [Fact]
    public async Task Expiring_resource_versions_makes_the_next_watch_from_an_old_rv_get_410()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));
        var rv = api.CurrentResourceVersion;
        var fine = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}&timeoutSeconds=1");
        fine.ShouldBeEmpty();

        api.Faults.ExpireResourceVersions();
        var expired = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}&timeoutSeconds=1");

        expired.Single()["type"]!.GetValue<string>().ShouldBe("ERROR");
        ((string?)expired.Single()["object"]!["reason"]).ShouldBe("Expired");
    }

    [Fact]
    public async Task Clear_switches_every_rule_off()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Faults.FailFraction(1.0, 500);
        api.Faults.AddLatency(TimeSpan.FromSeconds(5));

        api.Faults.Clear();

        (await raw.GetAsync(Ibws)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_simulated_restart_cuts_watches_refuses_the_next_watch_and_expires_old_rvs()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.Seed(Ibw("pod-a-eth0"));
        var rv = api.CurrentResourceVersion;
        var open = raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}");
        await Poll.UntilAsync(() => api.OpenWatches == 1);

        api.Faults.SimulateRestart();

        await Should.ThrowAsync<Exception>(() => open);
        (await raw.GetAsync($"{Ibws}?watch=true&resourceVersion={rv}")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        var expired = await raw.WatchAsync($"{Ibws}?watch=true&resourceVersion={rv}&timeoutSeconds=1");
        ((int?)expired.Single()["object"]!["code"]).ShouldBe(410);
        api.Get(ResourceType.InterfaceBandwidths, "default", "pod-a-eth0").ShouldNotBeNull();
    }
}
