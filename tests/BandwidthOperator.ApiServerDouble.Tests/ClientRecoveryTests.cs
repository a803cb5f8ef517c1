using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using static BandwidthOperator.ApiServerDouble.Tests.Objects;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>
/// The list-then-watch cycle an agent runs (CONVENTIONS: list, watch from that RV, on 410 list again),
/// through the real KubernetesClient across a simulated API server restart: what each step looks like to the client.
/// </summary>
public sealed class ClientRecoveryTests
{
    private static async Task<string> ListRvAsync(Kubernetes client)
    {
        var list = JsonNode.Parse(JsonSerializer.Serialize(
            await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths")))!;
        return (string)list["metadata"]!["resourceVersion"]!;
    }

    private static async Task<(ConcurrentQueue<string> Names, Exception? Error)> WatchAsync(Kubernetes client, string rv, int until, CancellationToken cancellationToken,
        ConcurrentQueue<string>? seen = null)
    {
        var names = seen ?? new ConcurrentQueue<string>();
        Exception? error = null;
        try
        {
            await foreach (var (type, obj) in client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths",
                resourceVersion: rv, timeoutSeconds: 10, onError: e => error = e, cancellationToken: cancellationToken))
            {
                if (type == WatchEventType.Added)
                {
                    names.Enqueue(((JsonElement)obj).GetProperty("metadata").GetProperty("name").GetString()!);
                    if (names.Count == until)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            error = e;
        }

        return (names, error);
    }

    [Fact]
    public async Task A_watcher_recovers_from_a_restart_by_retrying_then_relisting_on_410()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var client = api.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var rv = await ListRvAsync(client);

        var seen = new ConcurrentQueue<string>();
        var first = WatchAsync(client, rv, until: 2, cts.Token, seen);
        await Poll.UntilAsync(() => api.OpenWatches == 1);
        api.Seed(Ibw("pod-a-eth0"));
        await Poll.UntilAsync(() => !seen.IsEmpty);
        api.Faults.SimulateRestart();
        var (beforeRestart, cut) = await first;

        beforeRestart.ShouldBe(["pod-a-eth0"]);
        cut.ShouldNotBeNull();

        // right after the restart the watch is refused with 429 and Retry-After
        var refused = await Should.ThrowAsync<HttpOperationException>(async () =>
        {
            await foreach (var _ in client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, V1alpha1, "default", "interfacebandwidths",
                resourceVersion: rv, timeoutSeconds: 1, cancellationToken: cts.Token))
            {
            }
        });
        refused.Response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        // then the old RV is gone: the client reports the ERROR event as a KubernetesException with 410
        var (_, expired) = await WatchAsync(client, rv, until: 1, cts.Token);
        expired.ShouldBeOfType<KubernetesException>().Status.Code.ShouldBe(410);

        // relist and watch from the new RV
        var freshRv = await ListRvAsync(client);
        var second = WatchAsync(client, freshRv, until: 1, cts.Token);
        await Poll.UntilAsync(() => api.OpenWatches == 1);
        api.Seed(Ibw("pod-b-eth0"));
        (await second).Names.ShouldBe(["pod-b-eth0"]);
    }
}
