using BandwidthOperator.Agent.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BandwidthOperator.Agent.Tests.Memory;

public sealed class MemoryTrimmerTests
{
    [Fact]
    public void A_trim_gives_back_what_the_GC_had_committed_for_garbage()
    {
        // 256 MiB allocated and dropped: an ordinary full collection frees it but keeps much of it committed.
        Churn(256);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var ordinary = GC.GetGCMemoryInfo().TotalCommittedBytes;

        var (_, after) = MemoryTrimmer.Trim();

        (ordinary - after).ShouldBeGreaterThan(64L << 20, $"committed {ordinary >> 20} MiB after an ordinary full collection, {after >> 20} MiB after the trim");
    }

    [Fact]
    public async Task The_trimmer_polls_on_its_clock_and_trims_when_the_policy_says_so()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        // Any churn, any allocation rate (other tests allocate in this process too), at most one trim a minute.
        var policy = new MemoryTrimPolicy(TimeSpan.FromMinutes(1), churnBytes: 0, quietBytes: long.MaxValue, allocatedAtStart: 0);
        await using var trimmer = new MemoryTrimmer(policy, time, NullLogger<MemoryTrimmer>.Instance);
        var collections = GC.CollectionCount(GC.MaxGeneration);

        trimmer.Trims.ShouldBe(0, "nothing before the first poll");
        time.Advance(MemoryTrimmer.PollInterval);
        await Until(() => trimmer.Trims == 1);
        GC.CollectionCount(GC.MaxGeneration).ShouldBeGreaterThan(collections);

        time.Advance(MemoryTrimmer.PollInterval);
        time.Advance(MemoryTrimmer.PollInterval);
        await Task.Delay(200);
        trimmer.Trims.ShouldBe(1, "10 s after the first trim");

        time.Advance(TimeSpan.FromMinutes(1));
        await Until(() => trimmer.Trims == 2);
    }

    private static void Churn(int mebibytes)
    {
        var keep = new List<byte[]>();
        for (var i = 0; i < mebibytes; i++)
        {
            keep.Add(new byte[1 << 20]);
            keep[^1][i % 4096] = 1;
        }

        GC.KeepAlive(keep);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }
}
