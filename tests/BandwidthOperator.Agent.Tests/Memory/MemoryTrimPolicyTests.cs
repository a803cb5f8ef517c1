using BandwidthOperator.Agent.Memory;

namespace BandwidthOperator.Agent.Tests.Memory;

public sealed class MemoryTrimPolicyTests
{
    private const long MiB = 1L << 20;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_start_up_burst_is_trimmed_on_the_first_quiet_poll()
    {
        // 100 MiB allocated before the policy existed (start, initial sync): churn, but only trimmed once quiet.
        var policy = new MemoryTrimPolicy(TimeSpan.FromMinutes(1), 32 * MiB, 4 * MiB, allocatedAtStart: 100 * MiB);

        policy.Poll(Start.AddSeconds(5), 150 * MiB).ShouldBeFalse("50 MiB in the last poll: still busy");
        policy.Poll(Start.AddSeconds(10), 151 * MiB).ShouldBeTrue("1 MiB in the last poll and 151 MiB of churn");
    }

    [Fact]
    public void Trims_are_at_least_the_interval_apart_however_much_churn()
    {
        var policy = new MemoryTrimPolicy(TimeSpan.FromMinutes(1), 32 * MiB, 4 * MiB, allocatedAtStart: 0);
        policy.Poll(Start, 64 * MiB).ShouldBeFalse();
        policy.Poll(Start.AddSeconds(5), 64 * MiB).ShouldBeTrue();

        // Another 100 MiB burst, over by 30 s: not yet.
        policy.Poll(Start.AddSeconds(30), 164 * MiB).ShouldBeFalse();
        policy.Poll(Start.AddSeconds(35), 164 * MiB).ShouldBeFalse("30 s after the last trim");
        policy.Poll(Start.AddSeconds(64), 165 * MiB).ShouldBeFalse("59 s after the last trim");
        policy.Poll(Start.AddSeconds(65), 165 * MiB).ShouldBeTrue("a minute after the last trim, 101 MiB since, quiet");
    }

    [Fact]
    public void An_idle_agent_with_little_churn_is_left_alone()
    {
        var policy = new MemoryTrimPolicy(TimeSpan.FromMinutes(1), 32 * MiB, 4 * MiB, allocatedAtStart: 0);
        policy.Poll(Start, 40 * MiB).ShouldBeFalse();
        policy.Poll(Start.AddSeconds(5), 40 * MiB).ShouldBeTrue();

        // An hour of bookmarks and resyncs, 2 MiB a poll for 15 polls: 30 MiB since the trim, under the churn.
        var allocated = 40 * MiB;
        for (var i = 1; i <= 15; i++)
        {
            allocated += 2 * MiB;
            policy.Poll(Start.AddMinutes(4 * i), allocated).ShouldBeFalse($"poll {i}: {(allocated - (40 * MiB)) / MiB} MiB since the trim");
        }

        policy.Poll(Start.AddMinutes(61), allocated + (2 * MiB)).ShouldBeTrue("32 MiB since the trim, quiet, an hour later");
    }

    [Fact]
    public void A_busy_agent_is_not_trimmed_until_it_is_quiet()
    {
        var policy = new MemoryTrimPolicy(TimeSpan.FromMinutes(1), 32 * MiB, 4 * MiB, allocatedAtStart: 0);
        var allocated = 0L;
        for (var i = 1; i <= 60; i++)
        {
            allocated += 5 * MiB;
            policy.Poll(Start.AddSeconds(5 * i), allocated).ShouldBeFalse($"poll {i} allocated 5 MiB");
        }

        policy.Poll(Start.AddSeconds(305), allocated + (4 * MiB)).ShouldBeTrue("4 MiB in the last poll is quiet");
    }

    [Fact]
    public void Negative_settings_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new MemoryTrimPolicy(TimeSpan.FromSeconds(-1), 0, 0, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => new MemoryTrimPolicy(TimeSpan.Zero, -1, 0, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => new MemoryTrimPolicy(TimeSpan.Zero, 0, -1, 0));
    }
}
