using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Memory;

/// <summary>
/// Polls the GC's allocated-bytes counter every <see cref="PollInterval"/> and, when
/// <see cref="MemoryTrimPolicy"/> says so, runs a full, compacting, aggressive collection: the GC
/// decommits the regions the last burst grew into, so the agent's resident memory falls back to what
/// is live (docs/architecture.md, "Memory"). Started by the <c>agent</c> command for the process's
/// lifetime; a stopped trimmer no longer polls.
/// </summary>
public sealed partial class MemoryTrimmer : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private readonly MemoryTrimPolicy policy;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public MemoryTrimmer(MemoryTrimPolicy policy, TimeProvider time, ILogger<MemoryTrimmer> logger)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        this.policy = policy;
        this.time = time;
        this.logger = logger;
        loop = RunAsync(stop.Token);
    }

    /// <summary>Trims made so far.</summary>
    public int Trims { get; private set; }

    /// <summary>The trim itself: a blocking, compacting, aggressive full collection. Returns the bytes the GC had committed before and after.</summary>
    public static (long CommittedBefore, long CommittedAfter) Trim()
    {
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return (before, GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            if (policy.Poll(time.GetUtcNow(), GC.GetTotalAllocatedBytes()))
            {
                var (before, after) = Trim();
                Trims++;
                LogTrimmed(before >> 20, after >> 20);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "memory trimmed: GC committed {BeforeMiB} MiB before, {AfterMiB} MiB after")]
    private partial void LogTrimmed(long beforeMiB, long afterMiB);
}
