using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Hosting;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Testing.Topology;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// The agent as the DaemonSet runs it (<see cref="AgentHost"/>), against the in-process API server
/// double, shaping a bridge in a fresh network namespace (<see cref="BridgeTopology"/>).
/// </summary>
internal sealed class AgentFixture : IAsyncDisposable
{
    public const string Node = "node-a";
    public const string Network = "tenant-net";

    private readonly Dictionary<string, string?> _config;
    private bool _running = true;

    private AgentFixture(BridgeTopology topology, KubeApiServerDouble api, Kubernetes client, KubeApi agentApi, NetlinkNodeKernel kernel, IHost host, Dictionary<string, string?> config)
    {
        Topology = topology;
        Api = api;
        Client = client;
        AgentApi = agentApi;
        Kernel = kernel;
        Host = host;
        _config = config;
    }

    public BridgeTopology Topology { get; }

    public KubeApiServerDouble Api { get; }

    /// <summary>A KubernetesClient with the agent's credentials, for tests to act as the agent.</summary>
    public Kubernetes Client { get; }

    /// <summary>The agent's own API client (same server and credentials as <see cref="Client"/>).</summary>
    public KubeApi AgentApi { get; }

    public NetlinkNodeKernel Kernel { get; }

    public IHost Host { get; private set; }

    /// <param name="clientFor">The agent's client configuration (default: the double's admin); lets a test register a token and policies first.</param>
    /// <param name="logs">Receives the agent's warnings and errors (default: none are kept).</param>
    public static async Task<AgentFixture> StartAsync(int guests, string hint, Dictionary<string, string?>? settings = null,
        Func<KubeApiServerDouble, KubernetesClientConfiguration>? clientFor = null, ILoggerProvider? logs = null, bool kubeVirt = true)
    {
        var topology = BridgeTopology.Create(guests, hint);
        KubeApiServerDouble? api = null;
        try
        {
            api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300), KubeVirtInstalled = kubeVirt });
            api.Seed(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = Node, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = Node } },
            });
            var credentials = clientFor?.Invoke(api) ?? api.ClientConfiguration();
            var client = new Kubernetes(credentials);
            var agentApi = KubeApi.Create(credentials);
            var kernel = NetlinkNodeKernel.Open(topology.Host.Path);
            var config = new Dictionary<string, string?>
            {
                ["Agent:HealthPort"] = "0",
                ["Agent:Metrics:Enabled"] = "false",
                ["Agent:ResyncPeriod"] = "00:01:00",
                ["Agent:RequeueBaseDelay"] = "00:00:00.100",
                ["Agent:RequeueMaxDelay"] = "00:00:02",
                ["Agent:KubeVirtRetryMaxDelay"] = "00:00:01",
            };
            foreach (var (k, v) in settings ?? [])
            {
                config[k] = v;
            }

            var host = BuildHost(topology, agentApi, kernel, config, logs);
            await host.StartAsync();
            return new AgentFixture(topology, api, client, agentApi, kernel, host, config);
        }
        catch
        {
            if (api is not null)
            {
                await api.DisposeAsync();
            }

            topology.Dispose();
            throw;
        }
    }

    /// <summary>Stops the agent as a rolling update or a crash would (the kernel keeps its state).</summary>
    public async Task StopAgentAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Host.StopAsync(stop.Token);
        Host.Dispose();
        _running = false;
    }

    /// <summary>Starts a new agent process on the same node, API server and kernel: nothing carried over but what they hold.</summary>
    public async Task StartAgentAsync()
    {
        Host = BuildHost(Topology, AgentApi, Kernel, _config);
        await Host.StartAsync();
        _running = true;
    }

    /// <summary>The device carrying br0's inbound tree (its IFB); the tree is on it, not on br0.</summary>
    public string Tree => Topology.TreeDevice();

    /// <summary><c>tc class show</c> of br0's inbound tree; empty when the tree's device does not exist.</summary>
    public string Classes() => Show("class");

    /// <summary><c>tc qdisc show</c> of br0's inbound tree; empty when the tree's device does not exist.</summary>
    public string Qdiscs() => Show("qdisc");

    private string Show(string what)
    {
        var (code, stdout, _) = Topology.Host.TryExec("tc", what, "show", "dev", Tree);
        return code == 0 ? stdout : string.Empty;
    }

    /// <param name="rawMacs">The network's spec.rawMacNamespaceSelector: default {} (every namespace may name MACs by hand, as SeedInterface does); null leaves it out (none may).</param>
    /// <param name="outbound">The network's spec.outbound.average (the capacity out of the guests); null: none.</param>
    public JsonObject SeedNetwork(string average = "100M", JsonObject? rawMacs = null, bool allowRawMacs = true, string? outbound = null)
    {
        var spec = new JsonObject { ["bridge"] = BridgeTopology.BridgeName, ["inbound"] = new JsonObject { ["average"] = average } };
        if (outbound is not null)
        {
            spec["outbound"] = new JsonObject { ["average"] = outbound };
        }

        if (allowRawMacs)
        {
            spec["rawMacNamespaceSelector"] = rawMacs ?? new JsonObject();
        }

        return Api.Seed(new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "BridgeNetwork",
            ["metadata"] = new JsonObject { ["name"] = Network },
            ["spec"] = spec,
        });
    }

    public JsonObject SeedInterface(string name, BridgeGuest guest, string? floor) =>
        SeedInterface(name, guest, floor is null ? new JsonObject() : new JsonObject { ["floor"] = floor });

    /// <summary>An InterfaceBandwidth of tenant-a on this node for <paramref name="guest"/>, with spec.inbound and spec.outbound as given.</summary>
    /// <param name="byDevice">Name the guest's host port in spec.device; false: the agent finds it by MAC in the bridge's FDB.</param>
    public JsonObject SeedInterface(string name, BridgeGuest guest, JsonObject inbound, JsonObject? outbound = null, bool byDevice = true) =>
        Api.Seed(InterfaceManifest.Json(name, Network, Node, guest.Mac.ToString(), byDevice ? guest.HostPort : null, inbound, outbound));

    /// <summary>Bytes a class of br0's inbound tree counted (<see cref="TcClassCounters"/>).</summary>
    public long ClassBytes(string classId) =>
        TcClassCounters.Read(Topology.Host, Tree).TryGetValue(classId, out var c)
            ? c.Bytes
            : throw new InvalidOperationException($"class {classId} is not on {Tree}:\n{Classes()}");

    private static IHost BuildHost(BridgeTopology topology, KubeApi client, NetlinkNodeKernel kernel, Dictionary<string, string?> config, ILoggerProvider? logs = null) =>
        AgentHost.Build(
            new AgentIdentity(Node, topology.Host.Path), client, kernel,
            c => c.AddInMemoryCollection(config),
            logging: l =>
            {
                l.ClearProviders().SetMinimumLevel(LogLevel.Warning);
                if (logs is not null)
                {
                    l.AddProvider(logs);
                }
            });

    /// <summary>Polls until <paramref name="condition"/> holds, with a deadline (no sleeps-as-waits).</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Stops the agent and releases everything; the namespaces go whatever failed before (a host whose
    /// endpoint failed to start throws from StopAsync, and the namespaces were left behind).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_running)
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await Host.StopAsync(stop.Token);
                }
                finally
                {
                    Host.Dispose();
                }
            }
        }
        finally
        {
            try
            {
                Kernel.Dispose();
                Client.Dispose();
                AgentApi.Dispose();
                await Api.DisposeAsync();
            }
            finally
            {
                Topology.Dispose();
            }
        }
    }
}
