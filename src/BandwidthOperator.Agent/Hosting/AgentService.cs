using BandwidthOperator.Agent.Health;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.Agent.Queue;
using BandwidthOperator.Agent.Reconcile;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Netlink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BandwidthOperator.Agent.Hosting;

/// <summary>
/// The agent's loops (docs/architecture.md, "The agent loop"): watchers feeding the caches and the
/// queue with keys per bridge (BridgeNetworks, this node's InterfaceBandwidths, target-bound ones and
/// their workloads, this node's Node, and Namespaces while a selector needs them), a periodic resync,
/// the tc monitor, one worker reconciling keys, and the health/metrics endpoints. The worker starts
/// only after every cache was listed (an empty cache would tear every tree down). Stopping cancels the
/// loops and leaves the kernel as it is.
/// </summary>
public sealed partial class AgentService : BackgroundService
{
    private readonly AgentIdentity _identity;
    private readonly AgentOptions _options;
    private readonly ResourceWatcher<BridgeNetwork> _networkWatcher;
    private readonly ResourceWatcher<InterfaceBandwidth> _interfaceWatcher;
    private readonly ResourceWatcher<InterfaceBandwidth> _targetedWatcher;
    private readonly ResourceWatcher<VirtualMachineInstance> _vmiWatcher;
    private readonly ResourceWatcher<VirtualMachineInstance> _incomingVmiWatcher;
    private readonly ResourceWatcher<k8s.Models.V1Pod> _podWatcher;
    private readonly ResourceWatcher<k8s.Models.V1Node> _nodeWatcher;
    private readonly OnDemandWatch<k8s.Models.V1Namespace> _namespaces;
    private readonly bool _monitorKernel;
    private readonly FactsRecordingKernel _kernel;
    private CancellationToken _stopping;
    private readonly WorkloadCaches _workloads;
    private readonly ResourceStore<BridgeNetwork> _networks;
    private readonly ResourceStore<InterfaceBandwidth> _interfaces;
    private readonly WorkQueue _queue;
    private readonly BridgeReconciler _reconciler;
    private readonly AgentHealth _health;
    private readonly AgentMetrics _metrics;
    private readonly MetricsAccessReview _access;
    private readonly Func<uint?> _ownPortId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly Engine.CachingNodeKernel? _kernelView;

    public AgentService(
        AgentIdentity identity,
        IOptions<AgentOptions> options,
        ReconcileCaches caches,
        IResourceSource<BridgeNetwork> networkSource,
        IResourceSource<InterfaceBandwidth> interfaceSource,
        IResourceSource<k8s.Models.V1Node> nodeSource,
        FactsRecordingKernel kernel,
        WorkQueue queue,
        BridgeReconciler reconciler,
        AgentHealth health,
        AgentMetrics metrics,
        MetricsAccessReview access,
        OwnPortId ownPortId,
        WorkloadSources workloadSources,
        TimeProvider time,
        ILoggerFactory loggers,
        Engine.CachingNodeKernel? kernelView = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(ownPortId);
        ArgumentNullException.ThrowIfNull(caches);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(workloadSources);
        var networks = caches.Networks;
        var interfaces = caches.Interfaces;
        var workloads = caches.Workloads;
        _workloads = workloads;
        _namespaces = caches.Namespaces;
        // The tc monitor watches the kernel the agent shapes over rtnetlink; a kernel double has none.
        _monitorKernel = kernel.Inner is Engine.NetlinkNodeKernel or Engine.CachingNodeKernel { Inner: Engine.NetlinkNodeKernel };
        _kernel = kernel;
        _identity = identity;
        _options = options.Value;
        _networks = networks;
        _interfaces = interfaces;
        _queue = queue;
        _reconciler = reconciler;
        _health = health;
        _metrics = metrics;
        _access = access;
        _ownPortId = ownPortId.Get;
        _time = time;
        _loggers = loggers;
        _kernelView = kernelView;
        _logger = loggers.CreateLogger<AgentService>();
        _networkWatcher = new ResourceWatcher<BridgeNetwork>(networkSource, networks, change =>
        {
            Enqueue(ReconcileKeys.For(change));
            _namespaces.Want(NamespaceDemand.Needed(networks.List()), NamespaceChanged, _stopping);
        }, time, loggers.CreateLogger<ResourceWatcher<BridgeNetwork>>());
        _nodeWatcher = new ResourceWatcher<k8s.Models.V1Node>(nodeSource, caches.Node,
            change => Enqueue(ReconcileKeys.For(change, AllKeys)), time, loggers.CreateLogger<ResourceWatcher<k8s.Models.V1Node>>());
        _interfaceWatcher = new ResourceWatcher<InterfaceBandwidth>(interfaceSource, interfaces,
            change => Enqueue(ReconcileKeys.For(change, networks)), time, loggers.CreateLogger<ResourceWatcher<InterfaceBandwidth>>());
        _targetedWatcher = new ResourceWatcher<InterfaceBandwidth>(workloadSources.Targeted, workloads.Targeted,
            change => Enqueue(ReconcileKeys.For(change, networks)), time, loggers.CreateLogger<ResourceWatcher<InterfaceBandwidth>>());

        // A VMI or pod change can place, move or release any target: look at every key (the plan is per node anyway).
        void WorkloadChanged() => EnqueueAll();
        void KubeVirtChanged(bool installed)
        {
            Log.KubeVirt(_logger, _identity.NodeName, installed
                ? "kubevirt.io/v1 virtualmachineinstances is served; VMI-bound InterfaceBandwidths are resolved"
                : "kubevirt.io/v1 virtualmachineinstances is not served (404); VMI-bound InterfaceBandwidths say KubeVirtNotInstalled, listing again with backoff");
            WorkloadChanged();
        }

        var vmiSource = new KubeVirtAwareSource(workloadSources.Vmis, workloads.KubeVirt, KubeVirtChanged);
        var incomingSource = new KubeVirtAwareSource(workloadSources.IncomingVmis, workloads.KubeVirt, KubeVirtChanged);
        _vmiWatcher = new ResourceWatcher<VirtualMachineInstance>(vmiSource, workloads.Vmis, _ => WorkloadChanged(), time,
            loggers.CreateLogger<ResourceWatcher<VirtualMachineInstance>>(), maxRetryDelay: _options.KubeVirtRetryMaxDelay);
        _incomingVmiWatcher = new ResourceWatcher<VirtualMachineInstance>(incomingSource, workloads.IncomingVmis, _ => WorkloadChanged(), time,
            loggers.CreateLogger<ResourceWatcher<VirtualMachineInstance>>(), maxRetryDelay: _options.KubeVirtRetryMaxDelay);
        // Pods change often (status, probes): only a pod a target names, or one whose MACs changed (ownership), matters.
        _podWatcher = new ResourceWatcher<k8s.Models.V1Pod>(workloadSources.Pods, workloads.Pods, change =>
        {
            if (PodChangeMatters(change, workloads.Targeted))
            {
                WorkloadChanged();
            }
        }, time,
            loggers.CreateLogger<ResourceWatcher<k8s.Models.V1Pod>>());
    }

    /// <summary>Whether a pod change can change what this node shapes: a target names the pod, or its MACs changed.</summary>
    internal static bool PodChangeMatters(ResourceChange<k8s.Models.V1Pod> change, ResourceStore<InterfaceBandwidth> targeted)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(targeted);
        var pod = change.New ?? change.Old!;
        var ns = pod.Metadata?.NamespaceProperty;
        var name = pod.Metadata?.Name;
        if (targeted.List().Any(i => i.Spec?.Target is { Kind: InterfaceTarget.PodKind } t && t.Name == name && i.Metadata.NamespaceProperty == ns))
        {
            return true;
        }

        var before = change.Old is null ? [] : PodResolver.Macs(change.Old);
        var after = change.New is null ? [] : PodResolver.Macs(change.New);
        return !before.Order().SequenceEqual(after.Order());
    }

    /// <summary>Whether every cache the worker needs was listed (VMIs: or KubeVirt is known to be absent; Namespaces: if wanted).</summary>
    private bool CachesSynced =>
        _networkWatcher.Synced && _interfaceWatcher.Synced && _targetedWatcher.Synced && _podWatcher.Synced && _nodeWatcher.Synced
        && ((_vmiWatcher.Synced && _incomingVmiWatcher.Synced) || _workloads.KubeVirt.NotInstalled)
        && (!_namespaces.Wanted || _namespaces.Synced);

    /// <summary>Each reconcile's result, as the worker got it (for tests and benchmarks; handlers must be quick).</summary>
    public event EventHandler<ReconcileResult>? Reconciled;

    /// <summary>A namespace's labels changed: the keys of its interfaces.</summary>
    private void NamespaceChanged(ResourceChange<k8s.Models.V1Namespace> change) =>
        Enqueue(ReconcileKeys.For(change, _networks, _interfaces, _workloads.Targeted));

    public ResourceWatcher<BridgeNetwork> NetworkWatcher => _networkWatcher;

    public ResourceWatcher<InterfaceBandwidth> InterfaceWatcher => _interfaceWatcher;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        Log.Starting(_logger, _identity.NodeName, _identity.NetnsPath ?? "(current)", _options.ResyncPeriod);
        EndpointSet endpoints;
        try
        {
            endpoints = StartEndpoints(stoppingToken);
        }
        catch (Exception e) when (e is System.Net.HttpListenerException or System.Net.Sockets.SocketException)
        {
            _health.MarkFailed($"cannot serve health/metrics: {e.Message} (Agent:HealthPort {_options.HealthPort}, Agent:Metrics:Port {_options.Metrics.Port})");
            throw;
        }

        using var _ = endpoints;
        using var monitor = StartMonitor();
        _kernelView?.Watched = monitor is not null;

        var loops = new List<Task>
        {
            Guard("watch BridgeNetworks", () => _networkWatcher.RunAsync(stoppingToken), stoppingToken),
            Guard("watch InterfaceBandwidths", () => _interfaceWatcher.RunAsync(stoppingToken), stoppingToken),
            Guard("watch target-bound InterfaceBandwidths", () => _targetedWatcher.RunAsync(stoppingToken), stoppingToken),
            Guard("watch VirtualMachineInstances", () => _vmiWatcher.RunAsync(stoppingToken), stoppingToken),
            Guard("watch incoming VirtualMachineInstances", () => _incomingVmiWatcher.RunAsync(stoppingToken), stoppingToken),
            Guard("watch Pods", () => _podWatcher.RunAsync(stoppingToken), stoppingToken),
            Guard("watch this Node", () => _nodeWatcher.RunAsync(stoppingToken), stoppingToken),
        };

        try
        {
            while (!CachesSynced)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, stoppingToken).ConfigureAwait(false);
            }

            _health.MarkReady();
            Log.Ready(_logger, _identity.NodeName, _networks.Count, _interfaces.Count);
            Resync();

            loops.Add(Guard("resync", () => ResyncAsync(stoppingToken), stoppingToken));
            loops.Add(Guard("worker", () => WorkAsync(stoppingToken), stoppingToken));
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.ShutDown();
            await Task.WhenAll(loops.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            await _namespaces.DisposeAsync().ConfigureAwait(false);
            foreach (var endpoint in endpoints.Items)
            {
                await endpoint.StopAsync().ConfigureAwait(false);
            }

            Log.Stopped(_logger, _identity.NodeName);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (await _queue.TakeAsync(cancellationToken).ConfigureAwait(false) is { } key)
        {
            try
            {
                var result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    _queue.Forget(key);
                }
                else
                {
                    var delay = _queue.AddRateLimited(key);
                    Log.ReconcileFailed(_logger, _identity.NodeName, key, _queue.Failures(key), result.Failure ?? "not converged", delay);
                }

                // A status held back until the caches settle (a network not seen yet): look again soon.
                if (result.RequeueAfter is { } after)
                {
                    _queue.AddAfter(key, after);
                }

                Reconciled?.Invoke(this, result);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.ResyncPeriod, _time, cancellationToken).ConfigureAwait(false);
            Resync();
        }
    }

    /// <summary>
    /// Enqueues every key: each bridge once, each unknown network once, the Node's floor resources and the
    /// bridges no network names (the periodic resync; also at start).
    /// </summary>
    public void Resync()
    {
        EnqueueAll();
        _queue.Add(ReconcileKeys.NodeResources);
        _queue.Add(ReconcileKeys.UnnamedBridges);
    }

    private IEnumerable<string> AllKeys() => ReconcileKeys.All(_networks, _interfaces).Concat(ReconcileKeys.All(_networks, _workloads.Targeted));

    private void EnqueueAll() => Enqueue(AllKeys());

    private void Enqueue(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            _queue.Add(key);
        }
    }

    private void OnTcChange(TcChange change)
    {
        // The cached kernel view first: the reconcile this change enqueues must not see the facts from before it.
        _kernelView?.Observe(change);
        if (!change.Overrun && change.SenderPortId != 0 && change.SenderPortId == _ownPortId())
        {
            return;
        }

        var bridges = _networks.List().Select(n => n.Spec?.Bridge).Where(b => !string.IsNullOrEmpty(b)).Select(b => b!).ToHashSet(StringComparer.Ordinal);
        if (!change.Overrun && change.Device is { } device && (bridges.Contains(device) ? device : change.Link ? null : BridgeOf(device, bridges)) is { } bridge)
        {
            _queue.Add(bridge);
            return;
        }

        // A MAC learned or forgotten on a bridge no network of ours names changes nothing of ours.
        if (change.Fdb && !change.Overrun)
        {
            return;
        }

        // A link that came, went or moved, a device we cannot place, or lost notifications: look at everything.
        if (_health.Ready)
        {
            EnqueueAll();
        }
    }

    /// <summary>The managed bridge a tc change on <paramref name="device"/> concerns, from the last kernel read: a port's bridge, an IFB's bridge (or its port's); null if unknown.</summary>
    private string? BridgeOf(string device, HashSet<string> bridges)
    {
        if (_kernel.LastFacts is not { } facts)
        {
            return null;
        }

        var devices = facts.Devices;
        string? NameOf(int index) => devices.Values.FirstOrDefault(d => d.IfIndex == index)?.Name;
        var bridge = devices.TryGetValue(device, out var d) && d.Master is { } master ? master
            : Shaping.Trees.ShapingTree.ParseIfb(device) is { } ifb ? NameOf(ifb.BridgeIndex)
            : Shaping.Trees.DeviceLimits.IsOurIfb(device)
                && int.TryParse(device.AsSpan(Shaping.Trees.DeviceLimits.IfbPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var port)
                && NameOf(port) is { } portName && devices.TryGetValue(portName, out var p) ? p.Master
            : null;
        return bridge is not null && bridges.Contains(bridge) ? bridge : null;
    }

    private TcMonitor? StartMonitor()
    {
        if (!_monitorKernel)
        {
            return null;
        }

#pragma warning disable CA1031 // the monitor is best-effort: without it, resync still repairs drift
        try
        {
            return TcMonitor.Start(_identity.NetnsPath, OnTcChange, e =>
            {
                // A socket failure stops the monitor: without notifications the kernel view must not be trusted.
                if (e is TcKernelException)
                {
                    _kernelView?.Watched = false;
                }

                Log.MonitorFailed(_logger, _identity.NodeName, e);
            });
        }
        catch (Exception e)
        {
            Log.MonitorFailed(_logger, _identity.NodeName, e);
            return null;
        }
#pragma warning restore CA1031
    }

    private EndpointSet StartEndpoints(CancellationToken cancellationToken)
    {
        var set = new EndpointSet();
        var endpointLogger = _loggers.CreateLogger<HttpEndpoint>();
        if (_options.HealthPort > 0)
        {
            set.Add(new HttpEndpoint($"http://127.0.0.1:{_options.HealthPort}/", new Dictionary<string, Func<HttpAnswer>>
            {
                ["/healthz"] = () => _health.Live ? Text(200, "ok\n") : Text(500, $"failed: {_health.Failure}\n"),
                ["/readyz"] = () => _health.Ready ? Text(200, "ok\n") : Text(503, "not ready: waiting for the first list of BridgeNetworks and InterfaceBandwidths\n"),
            }, endpointLogger), cancellationToken);
        }

        if (_options.Metrics.Enabled)
        {
            var routes = new Dictionary<string, Func<HttpAnswer>>
            {
                ["/metrics"] = () => new HttpAnswer(200, PrometheusTextWriter.ContentType, PrometheusTextWriter.Write(ScrapeSnapshot(), _identity.NodeName)),
            };
            if (_options.Metrics.Secure)
            {
                set.Add(new HttpsEndpoint(_options.Metrics.Port, routes, _access.CheckAsync, $"bandwidth-operator-agent.{_identity.NodeName}",
                    _loggers.CreateLogger<HttpsEndpoint>()), cancellationToken);
            }
            else
            {
                set.Add(new HttpEndpoint($"http://127.0.0.1:{_options.Metrics.Port}/", routes, endpointLogger), cancellationToken);
            }
        }

        return set;
    }

    /// <summary>
    /// The metrics for one scrape: the last reconciles' gauges, with the interfaces' byte and drop counters read
    /// from the kernel now (one class dump of each of our IFB devices that holds an interface's class; the cached
    /// kernel view is neither used nor changed). When that read fails, the counters of the last read are served.
    /// </summary>
    public MetricsSnapshot ScrapeSnapshot()
    {
        var snapshot = _metrics.Snapshot();
        var devices = MetricsSampler.Devices(snapshot.Interfaces);
        if (devices.Count == 0)
        {
            return snapshot;
        }

        try
        {
            return snapshot with { Interfaces = MetricsSampler.WithCounters(snapshot.Interfaces, _kernel.ReadClassCounters(devices)) };
        }
#pragma warning disable CA1031 // a failed counter read must not fail the scrape: the last read's counters are served
        catch (Exception e)
        {
            Log.CountersReadFailed(_logger, _identity.NodeName, e);
            return snapshot;
        }
#pragma warning restore CA1031
    }

    private static HttpAnswer Text(int status, string body) => new(status, "text/plain; charset=utf-8", body);

    private Task Guard(string name, Func<Task> loop, CancellationToken stoppingToken) => Task.Run(async () =>
    {
        try
        {
            await loop().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // a loop that dies is reported through liveness, not by crashing the host
        catch (Exception e)
        {
            Log.LoopFailed(_logger, _identity.NodeName, name, e);
            _health.MarkFailed($"{name}: {e.Message}");
        }
#pragma warning restore CA1031
    }, CancellationToken.None);
}
