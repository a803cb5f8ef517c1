namespace BandwidthOperator.Agent.Queue;

/// <summary>
/// Per-key failure delays for requeues: <c>baseDelay · 2^(failures-1)</c>, capped at <c>maxDelay</c>
/// (client-go's ItemExponentialFailureRateLimiter). Deterministic, so tests can step a fake clock.
/// </summary>
public sealed class ExponentialBackoff
{
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
    }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>Records one more failure of <paramref name="key"/> and returns how long to wait before retrying it.</summary>
    public TimeSpan NextDelay(string key)
    {
        int failures;
        lock (_gate)
        {
            failures = _failures.TryGetValue(key, out var f) ? f + 1 : 1;
            _failures[key] = failures;
        }

        return DelayFor(failures);
    }

    /// <summary>The delay after the <paramref name="failures"/>-th failure in a row.</summary>
    public TimeSpan DelayFor(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var exponent = Math.Min(failures - 1, 62);
        var ticks = BaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public int Failures(string key)
    {
        lock (_gate)
        {
            return _failures.TryGetValue(key, out var f) ? f : 0;
        }
    }

    /// <summary>Forgets the failures of <paramref name="key"/> (after it succeeded).</summary>
    public void Reset(string key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }
}
