using BandwidthOperator.Agent.Status;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>
/// The reconcile steps of target-bound InterfaceBandwidths (README, "Workloads by reference"): this
/// node's entry of <c>status.nodes</c> (server-side apply, its own field manager), the top-level status
/// while the workload runs here, and letting go when it left.
/// </summary>
public sealed partial class BridgeReconciler
{
    /// <summary>Writes the class ID of a placed target into this node's entry before the kernel carries it. Returns the stored object or null.</summary>
    private async Task<InterfaceBandwidth?> WriteTargetClassIdAsync(TargetPlacement placement, int? classId, int? outboundClassId, CancellationToken cancellationToken)
    {
        var own = OwnEntry(placement.Original);
        var entry = new InterfaceBandwidthNodeStatus
        {
            NodeName = _node,
            Role = RoleName(placement.Role),
            ClassId = classId,
            OutboundClassId = outboundClassId,
            Admitted = own?.Admitted,
            Ready = own?.Ready,
            Reason = own?.Reason,
            Message = own?.Message,
        };
        var stored = await _writer.ApplyInterfaceNodeStatusAsync(placement.Original, entry, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            _workloads.Targeted.UpsertIfNewer(stored);
        }

        return stored;
    }

    /// <summary>This node's entry and, when the workload runs here, the top-level status of a placed target.</summary>
    private async Task WriteTargetStatusAsync(TargetPlacement placement, InterfaceOutcome outcome, DateTime now, CancellationToken cancellationToken)
    {
        var item = _workloads.Targeted.Get(ObjectKey.Of(placement.Original)) ?? placement.Original;
        var admitted = outcome.Admitted.Status;
        var entry = new InterfaceBandwidthNodeStatus
        {
            NodeName = _node,
            Role = RoleName(placement.Role),
            ClassId = outcome.ClassId,
            OutboundClassId = outcome.OutboundClassId,
            Admitted = admitted,
            Ready = outcome.Ready.Status,
            Reason = admitted ? outcome.Ready.Reason : placement.Role == WorkloadRole.MigrationTarget ? WorkloadReasons.MigrationTargetNotAdmitted : outcome.Admitted.Reason,
            Message = admitted ? outcome.Ready.Message : outcome.Admitted.Message,
        };
        var own = OwnEntry(item);
        if (!SameEntry(own, entry))
        {
            var stored = await _writer.ApplyInterfaceNodeStatusAsync(item, entry, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return;
            }

            _workloads.Targeted.UpsertIfNewer(stored);
            _pass.Statuses.Enqueue(ObjectKey.Of(stored));
            item = stored;
            if (placement.Role == WorkloadRole.MigrationTarget && !admitted && own?.Reason != WorkloadReasons.MigrationTargetNotAdmitted)
            {
                await _events.WarningAsync(Subject(item), WorkloadReasons.MigrationTargetNotAdmitted,
                    $"migration target node {_node} cannot admit the floor before the switch-over: {outcome.Admitted.Message}", cancellationToken).ConfigureAwait(false);
            }
        }

        if (placement.ReportsStatus)
        {
            // The host port: the one the plan shaped, else the bridge's forwarding database (the port the MAC was learned on).
            var device = outcome.Device ?? (outcome.Bridge is { } bridge ? _kernel?.LastFacts?.PortOf(bridge, placement.Mac) : null);
            await WriteTargetTopLevelAsync(item, outcome, _node, placement.Mac.ToString(), device, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A target this node refused or could not resolve: the top-level status says why; this node's entry goes.</summary>
    private async Task WriteTargetRefusalAsync(InterfaceBandwidth item, InterfaceOutcome outcome, DateTime now, CancellationToken cancellationToken)
    {
        if (OwnEntry(item) is not null)
        {
            item = await _writer.ApplyInterfaceNodeStatusAsync(item, null, cancellationToken).ConfigureAwait(false) ?? item;
            _workloads.Targeted.UpsertIfNewer(item);
        }

        var here = outcome.Admitted.Reason is WorkloadReasons.InterfaceNotFound or WorkloadReasons.WorkloadNotRunning or ConditionReasons.FloorNotRequested;
        await WriteTargetTopLevelAsync(item, outcome, here ? _node : null, null, null, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The workload left this node: the entry goes, and if this node reported the status, it says the workload is gone.</summary>
    private async Task ReleaseTargetAsync(InterfaceBandwidth item, DateTime now, CancellationToken cancellationToken)
    {
        if (OwnEntry(item) is not null)
        {
            item = await _writer.ApplyInterfaceNodeStatusAsync(item, null, cancellationToken).ConfigureAwait(false) ?? item;
            _workloads.Targeted.UpsertIfNewer(item);
        }

        if (item.Status?.NodeName != _node)
        {
            return;
        }

        var target = item.Spec.Target!;
        var message = $"InterfaceBandwidth {item.Metadata.NamespaceProperty}/{item.Metadata.Name}: {target.Kind} {item.Metadata.NamespaceProperty}/{target.Name} is no longer on node {_node}; its floor there is released";
        var gone = new ConditionOutcome(false, WorkloadReasons.WorkloadNotFound, message);
        var outcome = new InterfaceOutcome(new Api.Validation.ObjectRef(InterfaceBandwidth.KubeKind, item.Metadata.NamespaceProperty, item.Metadata.Name),
            item.Spec.Network, null, null, null, null, gone, gone, item.Metadata.Generation ?? 0);
        await WriteTargetTopLevelAsync(item, outcome, null, null, null, now, cancellationToken, onlyIfReportedHere: true, events: false).ConfigureAwait(false);
    }

    private async Task WriteTargetTopLevelAsync(InterfaceBandwidth item, InterfaceOutcome outcome, string? node, string? mac, string? device, DateTime now,
        CancellationToken cancellationToken, bool onlyIfReportedHere = false, bool events = true)
    {
        InterfaceBandwidthStatus Build(InterfaceBandwidthStatus? previous)
        {
            var status = InterfaceStatusBuilder.Build(outcome, previous, now);
            status.NodeName = node;
            status.MacAddress = mac;
            status.Device = device;
            return status;
        }

        var before = item.Status;
        if (InterfaceStatusBuilder.SameAs(before, Build(before)) || (onlyIfReportedHere && before?.NodeName != _node))
        {
            return;
        }

        var stored = await _writer.WriteInterfaceStatusAsync(item, previous =>
        {
            if (onlyIfReportedHere && previous?.NodeName != _node)
            {
                return null; // another node reports it now (a migration completed)
            }

            var status = Build(previous);
            return InterfaceStatusBuilder.SameAs(previous, status) ? null : status;
        }, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return;
        }

        _workloads.Targeted.UpsertIfNewer(stored);
        var key = ObjectKey.Of(stored);
        _pass.Statuses.Enqueue(key);
        Log.InterfaceStatusWritten(_logger, _node, outcome.Bridge ?? "-", key, outcome.Admitted.Reason, outcome.Ready.Reason);
        if (events)
        {
            // A release (the workload left) is not a warning: the floor went with it.
            await RecordInterfaceEventsAsync(stored, before, outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    private InterfaceBandwidthNodeStatus? OwnEntry(InterfaceBandwidth item) => item.Status?.Nodes?.FirstOrDefault(e => e.NodeName == _node);

    private static bool SameEntry(InterfaceBandwidthNodeStatus? a, InterfaceBandwidthNodeStatus b) =>
        a is not null && a.Role == b.Role && a.ClassId == b.ClassId && a.OutboundClassId == b.OutboundClassId && a.Admitted == b.Admitted && a.Ready == b.Ready && a.Reason == b.Reason && a.Message == b.Message;

    private static string RoleName(WorkloadRole role) => role switch
    {
        WorkloadRole.MigrationSource => InterfaceBandwidthNodeStatus.MigrationSource,
        WorkloadRole.MigrationTarget => InterfaceBandwidthNodeStatus.MigrationTarget,
        _ => InterfaceBandwidthNodeStatus.Running,
    };
}
