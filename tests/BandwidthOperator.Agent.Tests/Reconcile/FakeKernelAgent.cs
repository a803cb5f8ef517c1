using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Hosting;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Agent.Queue;
using BandwidthOperator.Agent.Reconcile;
using BandwidthOperator.Agent.Tests.EndToEnd;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.ApiServerDouble;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Tests.Reconcile;

/// <summary>
/// The agent as the DaemonSet runs it (<see cref="AgentHost"/>: watches, queue, worker, reconciler, real
/// KubernetesClient over HTTP to the in-process API-server double), but on a <see cref="FakeNodeKernel"/>:
/// no root, no network namespace. Every reconcile's <see cref="ReconcileResult"/> is kept.
/// </summary>
internal sealed class FakeKernelAgent : IAsyncDisposable
{
    public const string Node = "node-a";

    private FakeKernelAgent(KubeApiServerDouble api, KubeApi client, FakeNodeKernel kernel, IHost host)
    {
        Api = api;
        Client = client;
        Kernel = kernel;
        Host = host;
        Service = host.Services.GetRequiredService<AgentService>();
        Service.Reconciled += (_, r) => Results.Enqueue(r);
    }

    public KubeApiServerDouble Api { get; }

    public KubeApi Client { get; }

    public FakeNodeKernel Kernel { get; }

    public IHost Host { get; }

    public AgentService Service { get; }

    public BridgeReconciler Reconciler => Host.Services.GetRequiredService<BridgeReconciler>();

    public WorkQueue Queue => Host.Services.GetRequiredService<WorkQueue>();

    /// <summary>Every reconcile the worker ran, in order.</summary>
    public ConcurrentQueue<ReconcileResult> Results { get; } = new();

    /// <param name="arrange">Fills the kernel and seeds the API before the agent starts (the Node is seeded already).</param>
    /// <param name="nodeLabels">The Node's labels (default: kubernetes.io/hostname only).</param>
    public static async Task<FakeKernelAgent> StartAsync(Action<FakeNodeKernel, KubeApiServerDouble>? arrange = null,
        Dictionary<string, string?>? settings = null, JsonObject? nodeLabels = null)
    {
        var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) });
        var kernel = new FakeNodeKernel();
        try
        {
            api.Seed(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = Node, ["labels"] = nodeLabels ?? new JsonObject { ["kubernetes.io/hostname"] = Node } },
            });
            arrange?.Invoke(kernel, api);
            var config = new Dictionary<string, string?>
            {
                ["Agent:HealthPort"] = "0",
                ["Agent:Metrics:Enabled"] = "false",
                ["Agent:ResyncPeriod"] = "01:00:00",
                ["Agent:RequeueBaseDelay"] = "00:00:00.050",
                ["Agent:RequeueMaxDelay"] = "00:00:01",
                ["Agent:KubeVirtRetryMaxDelay"] = "00:00:01",
            };
            foreach (var (k, v) in settings ?? [])
            {
                config[k] = v;
            }

            var client = KubeApi.Create(api.ClientConfiguration());
            var host = AgentHost.Build(new AgentIdentity(Node), client, kernel, c => c.AddInMemoryCollection(config),
                logging: l => l.ClearProviders());
            var agent = new FakeKernelAgent(api, client, kernel, host);
            await host.StartAsync();
            return agent;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    public static JsonObject Network(string name, string bridge, string average = "1G", JsonObject? more = null)
    {
        var spec = new JsonObject { ["bridge"] = bridge, ["inbound"] = new JsonObject { ["average"] = average }, ["rawMacNamespaceSelector"] = new JsonObject() };
        foreach (var (k, v) in more ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "BridgeNetwork",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    /// <summary>A MAC per bridge and port number, learned on that port.</summary>
    public static MacAddress Mac(int bridge, int port) => MacAddress.Parse($"52:54:00:00:{bridge:x2}:{port:x2}");

    /// <summary>
    /// A bridge <paramref name="bridge"/> with <paramref name="ports"/> guests (MACs learned on their ports), the
    /// network <paramref name="network"/> on it, and one InterfaceBandwidth per guest with <paramref name="floor"/>.
    /// </summary>
    public static void Bridge(FakeNodeKernel kernel, KubeApiServerDouble api, int index, string bridge, string network, int ports, string floor = "10M")
    {
        var names = kernel.AddBridge(bridge, ports);
        api.Seed(Network(network, bridge));
        for (var p = 0; p < ports; p++)
        {
            var mac = Mac(index, p);
            kernel.Learn(bridge, mac, names[p]);
            api.Seed(InterfaceManifest.Json($"{network}-vm{p}", network, Node, mac.ToString(), names[p], new JsonObject { ["floor"] = floor }));
        }
    }

    public static bool Ready(JsonObject? o) =>
        (o?["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true;

    public static string? Reason(JsonObject? o, string type) =>
        (string?)(o?["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c?["type"] == type)?["reason"];

    /// <summary>Every InterfaceBandwidth of <paramref name="network"/> is Ready.</summary>
    public bool AllReady(string network) =>
        Api.List(ResourceType.InterfaceBandwidths).Where(o => (string?)o["spec"]?["network"] == network).All(Ready);

    /// <summary>Waits until the queue is empty and no reconcile ran for a while (the agent has nothing more to do).</summary>
    public async Task UntilIdleAsync(string what)
    {
        var quietSince = DateTime.UtcNow;
        var seen = Results.Count;
        await AgentFixture.UntilAsync(() =>
        {
            if (Results.Count != seen || Queue.Count > 0 || Queue.DelayedCount > 0)
            {
                seen = Results.Count;
                quietSince = DateTime.UtcNow;
                return false;
            }

            return DateTime.UtcNow - quietSince > TimeSpan.FromMilliseconds(400);
        }, what, TimeSpan.FromSeconds(30));
    }

    /// <summary>The results from index <paramref name="from"/> on.</summary>
    public IReadOnlyList<ReconcileResult> ResultsSince(int from) => [.. Results.Skip(from)];

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Host.StopAsync(stop.Token);
        Host.Dispose();
        Kernel.Dispose();
        Client.Dispose();
        await Api.DisposeAsync();
    }
}
