using BandwidthOperator.Agent.Queue;

namespace BandwidthOperator.Agent.Tests.Queue;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Delays_double_per_failure_and_stop_at_the_cap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

        Enumerable.Range(0, 6).Select(_ => backoff.NextDelay("k")).ShouldBe(
        [
            TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800),
            TimeSpan.FromMilliseconds(1600), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2),
        ]);
    }

    [Fact]
    public void Keys_back_off_independently_and_reset_alone()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        backoff.NextDelay("a");
        backoff.NextDelay("a");
        backoff.NextDelay("b").ShouldBe(TimeSpan.FromSeconds(1));

        backoff.Reset("a");
        backoff.NextDelay("a").ShouldBe(TimeSpan.FromSeconds(1));
        backoff.Failures("b").ShouldBe(1);
    }

    [Fact]
    public void Thousands_of_failures_do_not_overflow()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        backoff.DelayFor(5000).ShouldBe(TimeSpan.FromMinutes(5));
    }
}
