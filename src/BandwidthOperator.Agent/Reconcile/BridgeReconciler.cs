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
/// Level-triggered reconcile of this node: builds a <see cref="NodeRequest"/> from the caches (all
/// networks, this node's interfaces, node and namespace labels), writes new class IDs to the API
/// before the kernel is changed, converges the kernel, then writes what changed of each
/// InterfaceBandwidth's status and of this node's BridgeNetwork entry. The key says which bridge
/// triggered it; the engine always plans the whole node (a pass with nothing to change writes nothing).
/// </summary>
public sealed partial class BridgeReconciler : IDisposable
{
    private readonly string _node;
    private readonly ResourceStore<BridgeNetwork> _networks;
    private readonly ResourceStore<InterfaceBandwidth> _interfaces;
    private readonly NodeConverger _converger;
    private readonly FactsRecordingKernel? _kernel;
    private readonly IClusterLookup _lookup;
    private readonly WorkloadCaches _workloads;
    private readonly StatusWriter _writer;
    private readonly IEventRecorder _events;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NodeFloorWriter _floors;
    private readonly HashSet<string> _refusalsReported = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>When each InterfaceBandwidth was first planned with an unknown network (key → timestamp); see <see cref="NetworkIsReallyMissing"/>.</summary>
    private readonly Dictionary<string, long> _unknownSince = new(StringComparer.Ordinal);

    public BridgeReconciler(
        string nodeName,
        ResourceStore<BridgeNetwork> networks,
        ResourceStore<InterfaceBandwidth> interfaces,
        NodeConverger converger,
        FactsRecordingKernel? kernel,
        IClusterLookup lookup,
        WorkloadCaches workloads,
        StatusWriter writer,
        NodeFloorWriter floors,
        IEventRecorder events,
        AgentMetrics metrics,
        TimeProvider time,
        ILogger<BridgeReconciler> logger)
    {
        _node = nodeName;
        _networks = networks;
        _interfaces = interfaces;
        _converger = converger;
        _kernel = kernel;
        _lookup = lookup;
        _workloads = workloads;
        _writer = writer;
        _floors = floors;
        _events = events;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long a network must have been missing before an InterfaceBandwidth is told (<see cref="NetworkIsReallyMissing"/>).</summary>
    public static readonly TimeSpan NetworkSettleDelay = TimeSpan.FromSeconds(2);

    /// <summary>After this long, a missing network is reported even if the BridgeNetwork watch never caught up.</summary>
    public static readonly TimeSpan NetworkSettleLimit = TimeSpan.FromSeconds(30);

    /// <summary>Set by a reconcile that held back a status until the caches settle: look at the key again after this delay.</summary>
    public TimeSpan? RequeueAfter { get; private set; }

    /// <summary>Why the last failed reconcile failed, on one line (the worker logs it with the attempt and the next try).</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Reconciles; true when the kernel and the statuses are as desired. Never throws, except on cancellation.</summary>

    public async Task<bool> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        LastFailure = null;
        RequeueAfter = null;
        var started = _time.GetTimestamp();
        var writesBefore = _writer.Writes;
        var ok = false;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ok = await ReconcileCoreAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // the loop must survive anything a reconcile throws; the key is requeued with backoff
        catch (Exception e)
        {
            LastFailure = Hosting.OneLineConsoleFormatter.Summary(e);
            Log.ReconcileFailed(_logger, _node, key, e);
        }
#pragma warning restore CA1031
        finally
        {
            _gate.Release();
            _metrics.RecordReconcile(_time.GetElapsedTime(started), !ok);
            _metrics.RecordStatusWrites(_writer.Writes - writesBefore);
        }

        return ok;
    }

    public void Dispose() => _gate.Dispose();

    private async Task<bool> ReconcileCoreAsync(string key, CancellationToken cancellationToken)
    {
        var networks = _networks.List();
        var rawClaims = _interfaces.List().Where(i => i.Spec?.NodeName == _node).ToList();
        var node = await _lookup.NodeAsync(_node, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, string>? nodeLabels = node is null ? null : new Dictionary<string, string>(node.Metadata?.Labels ?? new Dictionary<string, string>());
        if (nodeLabels is null)
        {
            Log.NodeNotFound(_logger, _node);
        }

        // 0. Which MACs this node shapes: raw claims where the network allows them, targets placed here (TargetGate).
        Dictionary<string, IReadOnlyDictionary<string, string>>? namespaceLabels = null;
        if (networks.Any(n => n.Spec?.NamespaceSelector is not null || n.Spec?.RawMacNamespaceSelector is { MatchLabels.Count: > 0 } or { MatchExpressions.Count: > 0 }))
        {
            namespaceLabels = new(StringComparer.Ordinal);
            await AddNamespaceLabelsAsync(namespaceLabels, rawClaims, cancellationToken).ConfigureAwait(false);
        }

        var gate = RequireRequestedFloors(TargetGate.Evaluate(_node, rawClaims, _workloads.Targeted.List(), networks, namespaceLabels, _workloads.View()), networks);
        var interfaces = gate.ToPlan.ToList();
        if (namespaceLabels is not null)
        {
            await AddNamespaceLabelsAsync(namespaceLabels, interfaces, cancellationToken).ConfigureAwait(false);
        }

        var byKey = interfaces.ToDictionary(ObjectKey.Of, StringComparer.Ordinal);
        var request = new NodeRequest(_node, networks, interfaces, nodeLabels, namespaceLabels);

        // 1. Class IDs reach the API before the kernel carries them (a crash never leaves an unknown class):
        //    the writes go out concurrently (at most StatusWriteConcurrency at once) and all are answered
        //    before the kernel is touched; a failed write fails the reconcile before step 2.
        var plan = _converger.PlanOnly(request);
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
        var idsWritten = idWrites.Count > 0;
        for (var i = 0; i < idWrites.Count; i++)
        {
            var (outcome, k, _) = idWrites[i];
            if (idsStored[i] is not { } stored)
            {
                byKey.Remove(k);
                continue;
            }

            Log.ClassIdWritten(_logger, _node, outcome.Bridge ?? key, k, outcome.ClassId ?? outcome.OutboundClassId ?? 0);
            if (gate.Placements.TryGetValue(k, out var placement))
            {
                byKey[k] = TargetGate.Placed(stored, _node, placement.Mac);
                continue;
            }

            byKey[k] = stored;
            _interfaces.UpsertIfNewer(stored);
        }

        if (idsWritten)
        {
            request = request with { Interfaces = [.. interfaces.Select(ObjectKey.Of).Where(byKey.ContainsKey).Select(k => byKey[k])] };
        }

        // 2. The kernel (a plan with nothing to do and no new IDs is the result already: no second dump).
        var result = !idsWritten && plan.IsEmpty
            ? new ConvergeResult(plan, null, plan.Interfaces, plan.Bridges, 0)
            : _converger.Converge(request);
        _metrics.RecordApplied(result.Applied);
        _metrics.SetGauges(MetricsSampler.Sample(result, _kernel?.LastSnapshot));
        if (result.Applied is { } applied)
        {
            Log.Applied(_logger, _node, key, applied.Applied, applied.KernelWrites, result.RemainingOperations);
        }

        // 3. Statuses, only where they changed: decided here in order, written concurrently (at most
        //    StatusWriteConcurrency at once).
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
                    RequeueAfter = NetworkSettleDelay / 4;
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
                RequeueAfter = NetworkSettleDelay / 4;
                continue;
            }

            if (!InterfaceStatusBuilder.SameAs(item.Status, InterfaceStatusBuilder.Build(outcome, item.Status, now)))
            {
                statusWrites.Add(ct => WriteInterfaceStatusAsync(key, k, item, outcome, now, ct));
            }
        }

        await ForEachBoundedAsync(statusWrites.Count, async (i, ct) => await statusWrites[i](ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        foreach (var gone in _unknownSince.Keys.Where(k => !byKey.ContainsKey(k)).ToList())
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

        await WriteEntriesWithoutOutcomeAsync(networks, result, cancellationToken).ConfigureAwait(false);
        await AdvertiseFloorsAsync(node, nodeLabels, networks, cancellationToken).ConfigureAwait(false);

        if (!result.Converged)
        {
            LastFailure = $"{result.RemainingOperations} operation(s) remain ({result.Applied?.Error ?? "not converged"})";
            Log.NotConverged(_logger, _node, key, result.RemainingOperations, result.Applied?.Error);
        }

        return result.Converged;
    }

    private async Task AddNamespaceLabelsAsync(Dictionary<string, IReadOnlyDictionary<string, string>> labels, IEnumerable<InterfaceBandwidth> items, CancellationToken cancellationToken)
    {
        foreach (var ns in items.Select(i => i.Metadata.NamespaceProperty).Where(n => n is not null && !labels.ContainsKey(n)).Distinct(StringComparer.Ordinal))
        {
            labels[ns!] = await _lookup.NamespaceLabelsAsync(ns!, cancellationToken).ConfigureAwait(false) ?? new Dictionary<string, string>();
        }
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
        Log.InterfaceStatusWritten(_logger, _node, outcome.Bridge ?? key, k, outcome.Admitted.Reason, outcome.Ready.Reason);
        await RecordInterfaceEventsAsync(item, before, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The scheduler's view (<see cref="FloorCapacity"/>): this node's floor resources on its Node, from the
    /// caches as they are after this pass; a schedulable network that cannot be advertised gets a Warning
    /// Event (once per agent process and message).
    /// </summary>
    private async Task AdvertiseFloorsAsync(V1Node? node, IReadOnlyDictionary<string, string>? nodeLabels, IReadOnlyList<BridgeNetwork> networks, CancellationToken cancellationToken)
    {
        var capacity = FloorCapacity.Compute(_node, nodeLabels, networks, _interfaces.List(), IsRawMac);
        await _floors.SyncAsync(node, capacity.Resources, cancellationToken).ConfigureAwait(false);
        foreach (var refusal in capacity.Refusals)
        {
            if (_refusalsReported.Add(refusal.Message) && _networks.Get(refusal.Network) is { } network)
            {
                Log.NotSchedulable(_logger, _node, refusal.Network, refusal.Message);
                await _events.WarningAsync(Subject(network), ConditionReasons.NotSchedulable, refusal.Message, cancellationToken).ConfigureAwait(false);
            }
        }
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

    /// <summary>
    /// Networks the plan has no bridge for on this node: an invalid network or a bridge claimed twice gets
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
