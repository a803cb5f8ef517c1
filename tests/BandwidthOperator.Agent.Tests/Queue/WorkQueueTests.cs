using BandwidthOperator.Agent.Queue;
using Microsoft.Extensions.Time.Testing;

namespace BandwidthOperator.Agent.Tests.Queue;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    private static (WorkQueue Queue, FakeTimeProvider Time) NewQueue()
    {
        var time = new FakeTimeProvider();
        return (new WorkQueue(time, new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8))), time);
    }

    private static async Task<string?> TakeOrNullAsync(WorkQueue queue)
    {
        using var cts = new CancellationTokenSource(Short);
        try
        {
            return await queue.TakeAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_key_added_twice_is_handed_out_once()
    {
        var (queue, _) = NewQueue();
        using var _q = queue;
        queue.Add("br0");
        queue.Add("br0");
        queue.Add("br1");

        queue.Count.ShouldBe(2);
        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("br0");
        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("br1");
        (await TakeOrNullAsync(queue)).ShouldBeNull();
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_out_again_until_done()
    {
        var (queue, _) = NewQueue();
        using var _q = queue;
        queue.Add("br0");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("br0");
        queue.Add("br0");
        (await TakeOrNullAsync(queue)).ShouldBeNull();

        queue.Done(key!);
        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("br0");
        queue.Done("br0");
        (await TakeOrNullAsync(queue)).ShouldBeNull();
    }

    [Fact]
    public async Task Other_keys_are_handed_out_while_one_is_processed()
    {
        var (queue, _) = NewQueue();
        using var _q = queue;
        queue.Add("br0");
        await queue.TakeAsync(CancellationToken.None);
        queue.Add("br0");
        queue.Add("br1");

        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("br1");
    }

    [Fact]
    public async Task A_failed_key_comes_back_after_an_exponential_delay_up_to_the_cap()
    {
        var (queue, time) = NewQueue();
        using var _q = queue;
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            delays.Add(queue.AddRateLimited("br0"));
            (await TakeOrNullAsync(queue)).ShouldBeNull();
            time.Advance(delays[^1] - TimeSpan.FromMilliseconds(1));
            (await TakeOrNullAsync(queue)).ShouldBeNull();
            time.Advance(TimeSpan.FromMilliseconds(1));
            (await queue.TakeAsync(CancellationToken.None)).ShouldBe("br0");
            queue.Done("br0");
        }

        delays.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8)]);
        queue.Failures("br0").ShouldBe(5);
    }

    [Fact]
    public void Forget_starts_the_backoff_over()
    {
        var (queue, _) = NewQueue();
        using var _q = queue;
        queue.AddRateLimited("br0");
        queue.AddRateLimited("br0");
        queue.Forget("br0");

        queue.Failures("br0").ShouldBe(0);
        queue.AddRateLimited("br0").ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_earlier_of_two_delayed_adds_wins()
    {
        var (queue, time) = NewQueue();
        using var _q = queue;
        queue.AddAfter("br0", TimeSpan.FromSeconds(10));
        queue.AddAfter("br0", TimeSpan.FromSeconds(2));
        queue.AddAfter("br0", TimeSpan.FromSeconds(5));
        queue.DelayedCount.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(2));
        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("br0");
        queue.Done("br0");
        time.Advance(TimeSpan.FromSeconds(10));
        (await TakeOrNullAsync(queue)).ShouldBeNull();
    }

    [Fact]
    public async Task A_delayed_key_already_queued_is_not_queued_twice()
    {
        var (queue, time) = NewQueue();
        using var _q = queue;
        queue.Add("br0");
        queue.AddAfter("br0", TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        queue.Count.ShouldBe(1);
        (await queue.TakeAsync(CancellationToken.None)).ShouldBe("br0");
        (await TakeOrNullAsync(queue)).ShouldBeNull();
    }

    [Fact]
    public async Task Shut_down_wakes_waiters_with_null_and_drops_new_keys()
    {
        var (queue, _) = NewQueue();
        using var _q = queue;
        var waiting = queue.TakeAsync(CancellationToken.None);
        queue.ShutDown();

        (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBeNull();
        queue.Add("br0");
        (await queue.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30))).ShouldBeNull();
    }

    [Fact]
    public async Task Concurrent_workers_never_hold_the_same_key_at_once()
    {
        var (queue, _) = NewQueue();
        using var _q = queue;
        var holding = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var processed = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        async Task Worker()
        {
            while (await queue.TakeAsync(cts.Token) is { } key)
            {
                if (holding.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                holding.AddOrUpdate(key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)).ToArray();
        for (var i = 0; i < 2000; i++)
        {
            queue.Add("br" + (i % 3));
            if (i % 100 == 0)
            {
                await Task.Yield();
            }
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((queue.Count > 0 || holding.Values.Any(v => v > 0)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        queue.ShutDown();
        await Task.WhenAll(workers);
        overlaps.ShouldBe(0);
        processed.ShouldBeGreaterThanOrEqualTo(3);
    }
}
