using BandwidthOperator.Agent.Engine;

namespace BandwidthOperator.Agent.Metrics;

/// <summary>The agent's counters and the last reconcile's gauges; thread-safe, rendered by <see cref="PrometheusTextWriter"/>.</summary>
public sealed class AgentMetrics
{
    private readonly Lock _gate = new();
    private long _reconciles;
    private long _reconcileErrors;
    private double _reconcileSeconds;
    private long _kernelOperations;
    private long _kernelWrites;
    private long _statusWrites;
    private IReadOnlyList<InterfaceSample> _interfaces = [];
    private IReadOnlyList<BridgeSample> _bridges = [];
    private IReadOnlyList<AdmissionSample> _admissions = [];
    private readonly SortedDictionary<string, MetricsGauges> _byKey = new(StringComparer.Ordinal);

    public void RecordReconcile(TimeSpan duration, bool failed)
    {
        lock (_gate)
        {
            _reconciles++;
            _reconcileSeconds += duration.TotalSeconds;
            if (failed)
            {
                _reconcileErrors++;
            }
        }
    }

    public void RecordApplied(KernelApplyResult? applied)
    {
        if (applied is null)
        {
            return;
        }

        lock (_gate)
        {
            _kernelOperations += applied.Applied;
            _kernelWrites += applied.KernelWrites;
        }
    }

    public void RecordStatusWrites(int writes)
    {
        lock (_gate)
        {
            _statusWrites += writes;
        }
    }

    public void SetGauges(IReadOnlyList<InterfaceSample> interfaces, IReadOnlyList<BridgeSample> bridges)
    {
        lock (_gate)
        {
            _interfaces = interfaces;
            _bridges = bridges;
        }
    }

    public void SetGauges(MetricsGauges gauges)
    {
        ArgumentNullException.ThrowIfNull(gauges);
        lock (_gate)
        {
            _interfaces = gauges.Interfaces;
            _bridges = gauges.Bridges;
            _admissions = gauges.Admissions;
        }
    }

    /// <summary>
    /// The gauges of one work-queue key's pass (a bridge reconcile reports that bridge only): they replace
    /// what the key's last pass reported, and the snapshot shows every key's.
    /// </summary>
    public void SetGauges(string key, MetricsGauges gauges)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(gauges);
        lock (_gate)
        {
            _byKey[key] = gauges;
            _interfaces = [.. _byKey.Values.SelectMany(g => g.Interfaces)];
            _bridges = [.. _byKey.Values.SelectMany(g => g.Bridges)];
            _admissions = [.. _byKey.Values.SelectMany(g => g.Admissions)];
        }
    }

    public MetricsSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new MetricsSnapshot(_reconciles, _reconcileErrors, _reconcileSeconds, _kernelOperations, _kernelWrites, _statusWrites, _interfaces, _bridges, _admissions);
        }
    }
}
