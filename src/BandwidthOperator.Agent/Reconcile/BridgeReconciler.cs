using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.Agent.Status;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>
/// Level-triggered reconcile of one work-queue key (docs/architecture.md, "The agent loop"). A bridge key
/// builds a <see cref="NodeRequest"/> scoped to that bridge (<see cref="NodeRequest.ScopeBridges"/>) from
/// the watched caches — the networks, this node's InterfaceBandwidths of that bridge, the Node's and the
/// namespaces' labels — writes new class IDs to the API before the kernel is changed, converges the
/// kernel for that bridge only, then writes what changed of those InterfaceBandwidths' statuses and of
/// this node's entry of the bridge's BridgeNetworks. A <c>network:NAME</c> key reports interfaces of an
/// unknown network (no kernel); <see cref="ReconcileKeys.NodeResources"/> keeps the Node's floor
/// resources. Returns a <see cref="ReconcileResult"/>; the worker decides about requeues.
/// </summary>
public sealed partial class BridgeReconciler : IDisposable
{
    private static readonly IReadOnlySet<string> NoBridge = new HashSet<string>(StringComparer.Ordinal);
    private static readonly NodeFacts NoFacts = new(new Dictionary<string, DeviceFacts>(), new Dictionary<string, IReadOnlyDictionary<Api.Quantities.MacAddress, string>>(), "pfifo", Shaping.Tc.TcSnapshot.Empty);

    private readonly string _node;
    private readonly ReconcileCaches _caches;
    private readonly ResourceStore<BridgeNetwork> _networks;
    private readonly ResourceStore<InterfaceBandwidth> _interfaces;
    private readonly NodeConverger _converger;
    private readonly FactsRecordingKernel? _kernel;
    private readonly WorkloadCaches _workloads;
    private readonly StatusWriter _writer;
    private readonly IEventRecorder _events;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NodeFloorWriter _floors;
    private readonly bool _wholeNode;
    private readonly HashSet<string> _refusalsReported = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>When each InterfaceBandwidth was first planned with an unknown network (key → timestamp); see <see cref="NetworkIsReallyMissing"/>.</summary>
    private readonly Dictionary<string, long> _unknownSince = new(StringComparer.Ordinal);

    /// <summary>What the running pass wrote (one pass at a time: <see cref="_gate"/>); its writes go out concurrently.</summary>
    private PassWrites _pass = new();

    /// <param name="wholeNode">Plan the whole node for every key, as before per-bridge scoping (a baseline for measurements only).</param>
    public BridgeReconciler(
        string nodeName,
        ReconcileCaches caches,
        NodeConverger converger,
        FactsRecordingKernel? kernel,
        StatusWriter writer,
        NodeFloorWriter floors,
        IEventRecorder events,
        AgentMetrics metrics,
        TimeProvider time,
        ILogger<BridgeReconciler> logger,
        bool wholeNode = false)
    {
        ArgumentNullException.ThrowIfNull(caches);
        _node = nodeName;
        _caches = caches;
        _networks = caches.Networks;
        _interfaces = caches.Interfaces;
        _workloads = caches.Workloads;
        _converger = converger;
        _kernel = kernel;
        _writer = writer;
        _floors = floors;
        _events = events;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _wholeNode = wholeNode;
    }

    /// <summary>How long a network must have been missing before an InterfaceBandwidth is told (<see cref="NetworkIsReallyMissing"/>).</summary>
    public static readonly TimeSpan NetworkSettleDelay = TimeSpan.FromSeconds(2);

    /// <summary>After this long, a missing network is reported even if the BridgeNetwork watch never caught up.</summary>
    public static readonly TimeSpan NetworkSettleLimit = TimeSpan.FromSeconds(30);

    /// <summary>Reconciles one key. Never throws, except on cancellation: a failure is a result that says why.</summary>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var started = _time.GetTimestamp();
        var writesBefore = _writer.Writes;
        ReconcileResult? result = null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _pass = new PassWrites();
            result = await ReconcileCoreAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // the loop must survive anything a reconcile throws; the key is requeued with backoff
        catch (Exception e)
        {
            Log.ReconcileFailed(_logger, _node, key, e);
            result = new ReconcileResult(key, false) { Failure = Hosting.OneLineConsoleFormatter.Summary(e) };
        }
#pragma warning restore CA1031
        finally
        {
            _gate.Release();
            _metrics.RecordReconcile(_time.GetElapsedTime(started), result?.Succeeded != true);
            _metrics.RecordStatusWrites(_writer.Writes - writesBefore);
        }

        // What a failed pass wrote before it failed is still said.
        return result with
        {
            StatusesWritten = [.. _pass.Statuses.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            NetworkEntriesWritten = [.. _pass.Entries.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    public void Dispose() => _gate.Dispose();

    private async Task<ReconcileResult> ReconcileCoreAsync(string key, CancellationToken cancellationToken)
    {
        if (key == ReconcileKeys.NodeResources && !_wholeNode)
        {
            return new ReconcileResult(key, true) { NodeResourcesWritten = await AdvertiseFloorsAsync(_networks.List(), cancellationToken).ConfigureAwait(false) };
        }

        // The key's part of the caches: networks naming its bridge, interfaces keyed to it (whole-node mode: everything).
        var networks = _networks.List();
        var bridge = ReconcileKeys.BridgeOf(key);
        IReadOnlySet<string>? scope = _wholeNode ? null
            : key == ReconcileKeys.UnnamedBridges ? UnnamedBridges(networks)
            : bridge is null ? NoBridge : new HashSet<string>(StringComparer.Ordinal) { bridge };
        if (key == ReconcileKeys.UnnamedBridges && scope is { Count: 0 })
        {
            return new ReconcileResult(key, true);
        }

        var bridgeOfNetwork = networks.Where(n => n.Metadata?.Name is not null).GroupBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Spec?.Bridge, StringComparer.Ordinal);
        bool InKey(InterfaceBandwidth i)
        {
            var network = i.Spec?.Network ?? string.Empty;
            return _wholeNode || key == (bridgeOfNetwork.GetValueOrDefault(network) is { Length: > 0 } b ? b : ReconcileKeys.NetworkPrefix + network);
        }

        var keyNetworks = scope is null ? networks : [.. networks.Where(n => n.Spec?.Bridge is { } b && scope.Contains(b))];
        var rawClaims = _interfaces.List().Where(i => i.Spec?.NodeName == _node && InKey(i)).ToList();
        var targeted = _workloads.Targeted.List().Where(InKey).ToList();
        var node = _caches.Node.Get(_node);
        IReadOnlyDictionary<string, string>? nodeLabels = node is null ? null : new Dictionary<string, string>(node.Metadata?.Labels ?? new Dictionary<string, string>());
        if (nodeLabels is null)
        {
            Log.NodeNotFound(_logger, _node);
        }

        // 0. Which MACs this node shapes: raw claims where the network allows them, targets placed here (TargetGate).
        Dictionary<string, IReadOnlyDictionary<string, string>>? namespaceLabels = null;
        if (NamespaceDemand.Needed(keyNetworks))
        {
            if (!_caches.Namespaces.Synced)
            {
                // Started by the BridgeNetwork watch when a selector appeared; its first list enqueues this key again.
                return new ReconcileResult(key, false) { Failure = "waiting for the first list of Namespaces (a network's namespace selector needs their labels)" };
            }

            namespaceLabels = NamespaceLabels(rawClaims.Concat(targeted));
        }

        var gate = RequireRequestedFloors(TargetGate.Evaluate(_node, rawClaims, targeted, networks, namespaceLabels, _workloads.View()), networks);
        var interfaces = gate.ToPlan.ToList();
        var byKey = interfaces.ToDictionary(ObjectKey.Of, StringComparer.Ordinal);
        var request = new NodeRequest(_node, networks, interfaces, nodeLabels, namespaceLabels) { ScopeBridges = scope };

        // 1. Class IDs reach the API before the kernel carries them (a crash never leaves an unknown class):
        //    the writes go out concurrently (at most StatusWriteConcurrency at once) and all are answered
        //    before the kernel is touched; a failed write fails the reconcile before step 2. A key that
        //    plans no bridge (an unknown network) reads nothing from the kernel.
        var readsKernel = scope is null || scope.Count > 0;
        var plan = readsKernel ? _converger.PlanOnly(request) : NodePlanner.Plan(request, NoFacts);
        var idWrites = new List<(InterfaceOutcome Outcome, string Key, InterfaceBandwidth Item)>();
        foreach (var outcome in plan.Interfaces)
        {
            var k = ObjectKey.Of(outcome.Ref.Namespace, outcome.Ref.Name);
            if ((outcome.ClassId is null && outcome.OutboundClassId is null) || !byKey.TryGetValue(k, out var item)
                || (item.Status?.ClassId == outcome.ClassId && item.Status?.OutboundClassId == outcome.OutboundClassId))
            {
                continue;
            }

            idWrites.Add((outcome, k, item));
        }

        var idsStored = new InterfaceBandwidth?[idWrites.Count];
        await ForEachBoundedAsync(idWrites.Count, async (i, ct) =>
        {
            var (outcome, k, item) = idWrites[i];
            idsStored[i] = gate.Placements.TryGetValue(k, out var placement)
                ? await WriteTargetClassIdAsync(placement, outcome.ClassId, outcome.OutboundClassId, ct).ConfigureAwait(false)
                : await _writer.WriteClassIdAsync(item, outcome.ClassId, ct, outcome.OutboundClassId).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        var idsWritten = new List<string>();
        for (var i = 0; i < idWrites.Count; i++)
        {
            var (outcome, k, _) = idWrites[i];
            if (idsStored[i] is not { } stored)
            {
                byKey.Remove(k);
                continue;
            }

            idsWritten.Add(k);
            Log.ClassIdWritten(_logger, _node, outcome.Bridge ?? key, k, outcome.ClassId ?? outcome.OutboundClassId ?? 0);
            if (gate.Placements.TryGetValue(k, out var placement))
            {
                byKey[k] = TargetGate.Placed(stored, _node, placement.Mac);
                continue;
            }

            byKey[k] = stored;
            _interfaces.UpsertIfNewer(stored);
        }

        if (idWrites.Count > 0)
        {
            request = request with { Interfaces = [.. interfaces.Select(ObjectKey.Of).Where(byKey.ContainsKey).Select(k => byKey[k])] };
        }

        // 2. The kernel (a plan with nothing to do and no new IDs is the result already: no second dump).
        var result = (idWrites.Count == 0 && plan.IsEmpty) || !readsKernel
            ? new ConvergeResult(plan, null, plan.Interfaces, plan.Bridges, 0)
            : _converger.Converge(request);
        _metrics.RecordApplied(result.Applied);
        _metrics.SetGauges(_wholeNode ? "node" : key, MetricsSampler.Sample(result, _kernel?.LastSnapshot));
        if (result.Applied is { } applied)
        {
            Log.Applied(_logger, _node, key, applied.Applied, applied.KernelWrites, result.RemainingOperations);
        }

        // 3. Statuses, only where they changed: decided here in order, written concurrently (at most
        //    StatusWriteConcurrency at once).
        TimeSpan? requeueAfter = null;
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = rawClaims.ToDictionary(ObjectKey.Of, StringComparer.Ordinal);
        var statusWrites = new List<Func<CancellationToken, Task>>();
        foreach (var outcome in result.Interfaces.Concat(gate.Refused))
        {
            var k = ObjectKey.Of(outcome.Ref.Namespace, outcome.Ref.Name);
            if (gate.Placements.TryGetValue(k, out var placement))
            {
                if (outcome.Admitted.Reason == ConditionReasons.UnknownNetwork && !NetworkIsReallyMissing(k, placement.Original))
                {
                    requeueAfter = NetworkSettleDelay / 4;
                    continue;
                }

                statusWrites.Add(ct => WriteTargetStatusAsync(placement, outcome, now, ct));
                continue;
            }

            if (_workloads.Targeted.Get(k) is { Spec.Target: not null } refusedTarget)
            {
                statusWrites.Add(ct => WriteTargetRefusalAsync(refusedTarget, outcome, now, ct));
                continue;
            }

            if (!byKey.TryGetValue(k, out var item) && !claims.TryGetValue(k, out item))
            {
                continue;
            }

            if (outcome.Admitted.Reason != ConditionReasons.UnknownNetwork)
            {
                _unknownSince.Remove(k);
            }
            else if (!NetworkIsReallyMissing(k, item))
            {
                requeueAfter = NetworkSettleDelay / 4;
                continue;
            }

            if (!InterfaceStatusBuilder.SameAs(item.Status, InterfaceStatusBuilder.Build(outcome, item.Status, now)))
            {
                statusWrites.Add(ct => WriteInterfaceStatusAsync(key, k, item, outcome, now, ct));
            }
        }

        await ForEachBoundedAsync(statusWrites.Count, async (i, ct) => await statusWrites[i](ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        // Interfaces that are gone from the caches are no longer waited for (those of other keys are theirs).
        foreach (var gone in _unknownSince.Keys.Where(k => _interfaces.Get(k) is null && _workloads.Targeted.Get(k) is null).ToList())
        {
            _unknownSince.Remove(gone);
        }

        foreach (var outcome in result.Bridges)
        {
            var network = _networks.Get(outcome.Network);
            var entry = BridgeNodeStatusBuilder.Build(_node, outcome);
            if (network is null || BridgeNodeStatusBuilder.SameAs(BridgeNodeStatusBuilder.Current(network, _node), entry))
            {
                continue;
            }

            var stored = await _writer.ApplyBridgeNodeStatusAsync(outcome.Network, entry, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                _networks.UpsertIfNewer(stored);
                _pass.Entries.Enqueue(outcome.Network);
            }

            if (!outcome.Ready && result.Applied is { Succeeded: false })
            {
                await _events.WarningAsync(Subject(network), ConditionReasons.KernelError, outcome.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var item in gate.Released)
        {
            await ReleaseTargetAsync(item, now, cancellationToken).ConfigureAwait(false);
        }

        await WriteEntriesWithoutOutcomeAsync(keyNetworks, result, cancellationToken).ConfigureAwait(false);
        var floorsWritten = _wholeNode && await AdvertiseFloorsAsync(networks, cancellationToken).ConfigureAwait(false);

        string? failure = null;
        if (!result.Converged)
        {
            failure = $"{result.RemainingOperations} operation(s) remain ({result.Applied?.Error ?? "not converged"})";
            Log.NotConverged(_logger, _node, key, result.RemainingOperations, result.Applied?.Error);
        }

        return new ReconcileResult(key, result.Converged)
        {
            RequeueAfter = requeueAfter,
            Failure = failure,
            BridgesPlanned = [.. result.Plan.Bridges.Select(b => b.Bridge).Distinct(StringComparer.Ordinal)],
            ClassIdsWritten = [.. idsWritten.Order(StringComparer.Ordinal)],
            KernelOperations = result.Applied?.Applied ?? 0,
            KernelWrites = result.Applied?.KernelWrites ?? 0,
            NodeResourcesWritten = floorsWritten,
        };
    }

    /// <summary>
    /// The bridge devices no network names, from the last kernel read (the first time: a read of the
    /// devices alone). Their pass owns, and so removes, what is ours on them.
    /// </summary>
    private HashSet<string> UnnamedBridges(IReadOnlyList<BridgeNetwork> networks)
    {
        var named = networks.Select(n => n.Spec?.Bridge).Where(b => !string.IsNullOrEmpty(b)).ToHashSet(StringComparer.Ordinal);
        var devices = (_kernel?.LastFacts ?? _kernel?.ReadFacts([]))?.Devices.Values ?? [];
        return devices.Where(d => d.IsBridge && !named.Contains(d.Name)).Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Labels of the namespaces of <paramref name="items"/>, from the Namespace watch (a namespace not in it has none).</summary>
    private Dictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels(IEnumerable<InterfaceBandwidth> items)
    {
        var store = _caches.Namespaces.Store;
        var labels = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var ns in items.Select(i => i.Metadata.NamespaceProperty).Where(n => n is not null).Distinct(StringComparer.Ordinal))
        {
            labels[ns!] = store.Get(ns!)?.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : new Dictionary<string, string>();
        }

        return labels;
    }

    /// <summary>Status writes in flight at once (the API server's latency, not the agent, bounds a large first reconcile).</summary>
    public const int StatusWriteConcurrency = 16;

    /// <summary>Runs <paramref name="body"/> for 0..count-1, at most <see cref="StatusWriteConcurrency"/> at once; returns when all have finished.</summary>
    private static Task ForEachBoundedAsync(int count, Func<int, CancellationToken, ValueTask> body, CancellationToken cancellationToken) =>
        count == 0
            ? Task.CompletedTask
            : Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = StatusWriteConcurrency, CancellationToken = cancellationToken }, body);

    /// <summary>Writes one InterfaceBandwidth's status (rebuilt from the stored one on a conflict) and its Events.</summary>
    private async Task WriteInterfaceStatusAsync(string key, string k, InterfaceBandwidth item, InterfaceOutcome outcome, DateTime now, CancellationToken cancellationToken)
    {
        var before = item.Status;
        var stored = await _writer.WriteInterfaceStatusAsync(item, previous =>
        {
            var status = InterfaceStatusBuilder.Build(outcome, previous, now);
            return InterfaceStatusBuilder.SameAs(previous, status) ? null : status;
        }, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return;
        }

        _interfaces.UpsertIfNewer(stored);
        _pass.Statuses.Enqueue(k);
        Log.InterfaceStatusWritten(_logger, _node, outcome.Bridge ?? key, k, outcome.Admitted.Reason, outcome.Ready.Reason);
        await RecordInterfaceEventsAsync(item, before, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The scheduler's view (<see cref="FloorCapacity"/>): this node's floor resources on its Node, from the
    /// caches (the Node as watched); a schedulable network that cannot be advertised gets a Warning Event
    /// (once per agent process and message). Returns whether the Node was patched.
    /// </summary>
    private async Task<bool> AdvertiseFloorsAsync(IReadOnlyList<BridgeNetwork> networks, CancellationToken cancellationToken)
    {
        var node = _caches.Node.Get(_node);
        IReadOnlyDictionary<string, string>? nodeLabels = node is null ? null : new Dictionary<string, string>(node.Metadata?.Labels ?? new Dictionary<string, string>());
        var capacity = FloorCapacity.Compute(_node, nodeLabels, networks, _interfaces.List(), IsRawMac);
        var stored = await _floors.SyncAsync(() => _caches.Node.Get(_node), capacity.Resources, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            _caches.Node.UpsertIfNewer(stored);
        }

        foreach (var refusal in capacity.Refusals)
        {
            if (_refusalsReported.Add(refusal.Message) && _networks.Get(refusal.Network) is { } network)
            {
                Log.NotSchedulable(_logger, _node, refusal.Network, refusal.Message);
                await _events.WarningAsync(Subject(network), ConditionReasons.NotSchedulable, refusal.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        return stored is not null;
    }

    /// <summary>An InterfaceBandwidth that names its guest by MAC (the scheduler does not see it).</summary>
    private static bool IsRawMac(InterfaceBandwidth item) => item.Spec is not null && item.Spec.Target is null;

    /// <summary>
    /// Whether an InterfaceBandwidth whose network is not in the cache may be told so (UnknownNetwork and
    /// a Warning Event). A BridgeNetwork created together with it may simply not have reached the cache
    /// yet — the two kinds come over separate watches — so it counts as missing only once the
    /// BridgeNetwork cache is current to a resourceVersion at least as new as the InterfaceBandwidth's
    /// (kube-apiserver's resourceVersions are one etcd revision counter across kinds) and it has been
    /// missing for <see cref="NetworkSettleDelay"/>; or, whatever the watch says, after
    /// <see cref="NetworkSettleLimit"/>. Until then nothing is written for it.
    /// </summary>
    private bool NetworkIsReallyMissing(string key, InterfaceBandwidth item)
    {
        var now = _time.GetTimestamp();
        if (!_unknownSince.TryGetValue(key, out var since))
        {
            _unknownSince[key] = since = now;
        }

        var missingFor = _time.GetElapsedTime(since, now);
        var caughtUp = !long.TryParse(item.Metadata?.ResourceVersion, out var itemVersion)
            || (long.TryParse(_networks.ResourceVersion, out var cacheVersion) && cacheVersion >= itemVersion);
        return (caughtUp && missingFor >= NetworkSettleDelay) || missingFor >= NetworkSettleLimit;
    }

    /// <summary>What one pass wrote to the API, filled by its concurrent writes.</summary>
    private sealed class PassWrites
    {
        /// <summary>InterfaceBandwidths (<c>namespace/name</c>) whose status or node entry was written.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Statuses { get; } = new();

        /// <summary>BridgeNetworks whose entry for this node was written or removed.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Entries { get; } = new();
    }

    /// <summary>
    /// Networks of the key the plan has no bridge for on this node: an invalid network or a bridge claimed twice gets
    /// a not-ready entry saying why; a network that does not select this node loses this node's entry.
    /// </summary>
    private async Task WriteEntriesWithoutOutcomeAsync(IReadOnlyList<BridgeNetwork> networks, ConvergeResult result, CancellationToken cancellationToken)
    {
        var planned = result.Bridges.Select(b => b.Network).ToHashSet(StringComparer.Ordinal);
        foreach (var network in networks.Where(n => !planned.Contains(n.Metadata.Name)))
        {
            var name = network.Metadata.Name;
            var current = BridgeNodeStatusBuilder.Current(network, _node);
            var issue = result.Plan.NetworkOf(name) is { IsIssue: true } outcome ? outcome.Message : null;
            BridgeNetwork? stored;
            if (issue is null)
            {
                if (current is null)
                {
                    continue;
                }

                stored = await _writer.RemoveBridgeNodeStatusAsync(name, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var entry = new BridgeNetworkNodeStatus { NodeName = _node, Ready = false, FloorSum = "0", Interfaces = 0, Message = issue };
                if (BridgeNodeStatusBuilder.SameAs(current, entry))
                {
                    continue;
                }

                stored = await _writer.ApplyBridgeNodeStatusAsync(name, entry, cancellationToken).ConfigureAwait(false);
            }

            if (stored is not null)
            {
                _networks.UpsertIfNewer(stored);
                _pass.Entries.Enqueue(name);
            }
        }
    }

    private async Task RecordInterfaceEventsAsync(InterfaceBandwidth item, InterfaceBandwidthStatus? before, InterfaceOutcome outcome, CancellationToken cancellationToken)
    {
        var subject = Subject(item);
        if (!outcome.Admitted.Status && !Had(before, ConditionReasons.Admitted, outcome.Admitted))
        {
            await _events.WarningAsync(subject, outcome.Admitted.Reason, outcome.Admitted.Message, cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Ready.Reason == ConditionReasons.KernelError && !Had(before, ConditionReasons.Ready, outcome.Ready))
        {
            await _events.WarningAsync(subject, outcome.Ready.Reason, outcome.Ready.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Had(InterfaceBandwidthStatus? status, string type, ConditionOutcome value) =>
        status?.Conditions?.Any(c => c.Type == type && c.Status == (value.Status ? "True" : "False") && c.Reason == value.Reason) == true;

    private static EventSubject Subject(InterfaceBandwidth item) =>
        new(ApiGroup.ApiVersion, InterfaceBandwidth.KubeKind, item.Metadata.NamespaceProperty, item.Metadata.Name, item.Metadata.Uid);

    private static EventSubject Subject(BridgeNetwork network) =>
        new(ApiGroup.ApiVersion, BridgeNetwork.KubeKind, null, network.Metadata.Name, network.Metadata.Uid);
}
