namespace BandwidthOperator.Agent.Memory;

/// <summary>
/// When to give memory back (docs/architecture.md, "Memory"): after a burst — the initial sync, a
/// resync, many changes — the GC keeps the regions it grew into committed although little of them is
/// live (at 5,000 interfaces, measured: 64 MiB committed before a trim, 26 MiB after). A trim is a full, compacting,
/// aggressive collection, which decommits them. It is worth it only once the burst is over and only
/// when there was one: at most one per <see cref="MinInterval"/>, only when at least
/// <see cref="ChurnBytes"/> were allocated since the last trim, and only on a poll during which at
/// most <see cref="QuietBytes"/> were allocated (the agent is idle again).
/// Pure: the caller feeds it the clock and the process's allocated-bytes counter.
/// </summary>
public sealed class MemoryTrimPolicy
{
    private DateTimeOffset? lastTrim;
    private long allocatedAtTrim;
    private long allocatedAtPoll;

    /// <param name="allocatedAtStart">The allocated-bytes counter now; what was allocated before counts as churn.</param>
    public MemoryTrimPolicy(TimeSpan minInterval, long churnBytes, long quietBytes, long allocatedAtStart)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(churnBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(quietBytes);
        MinInterval = minInterval;
        ChurnBytes = churnBytes;
        QuietBytes = quietBytes;
        allocatedAtPoll = allocatedAtStart;
    }

    /// <summary>
    /// One minute, 8 MiB of churn, at most 4 MiB allocated in the last poll (of 5 s). 8 MiB rather than
    /// 32: the start itself (≈ 10–30 MB allocated) is then trimmed too, 115 → 105 MiB with 10 interfaces
    /// (README, Benchmarks); a trim of the agent's heap costs a few tens of milliseconds.
    /// </summary>
    public static MemoryTrimPolicy Default(long allocatedAtStart) =>
        new(TimeSpan.FromMinutes(1), 8L << 20, 4L << 20, allocatedAtStart);

    public TimeSpan MinInterval { get; }

    public long ChurnBytes { get; }

    public long QuietBytes { get; }

    /// <summary>
    /// One poll: <paramref name="allocated"/> is the process's allocated-bytes counter
    /// (<see cref="GC.GetTotalAllocatedBytes(bool)"/>). True: trim now (and the trim is recorded).
    /// </summary>
    public bool Poll(DateTimeOffset now, long allocated)
    {
        var sincePoll = allocated - allocatedAtPoll;
        allocatedAtPoll = allocated;
        if (sincePoll > QuietBytes
            || allocated - allocatedAtTrim < ChurnBytes
            || (lastTrim is { } last && now - last < MinInterval))
        {
            return false;
        }

        lastTrim = now;
        allocatedAtTrim = allocated;
        return true;
    }
}
