namespace BandwidthOperator.Lab.Traffic;

/// <summary>The outcome of a <see cref="TrafficRun"/>: one result per flow group, in the order given.</summary>
public sealed record TrafficResult(TimeSpan Warmup, TimeSpan Measured, IReadOnlyList<FlowGroupResult> Groups)
{
    public FlowGroupResult this[int index] => Groups[index];

    public override string ToString() => string.Join("; ", Groups);
}
