namespace BandwidthOperator.ApiServerDouble.Faults;

/// <summary>One active fault. Dispose it (or <see cref="FaultInjector.Clear"/>) to switch it off.</summary>
public sealed class FaultRule : IDisposable
{
    private readonly FaultInjector _owner;
    private int _remaining;
    private int _hits;

    internal FaultRule(FaultInjector owner, FaultKind kind, RequestFilter filter, int? count, double fraction, int statusCode, int? retryAfterSeconds, TimeSpan latency)
    {
        _owner = owner;
        Kind = kind;
        Filter = filter;
        _remaining = count ?? int.MaxValue;
        Fraction = fraction;
        StatusCode = statusCode;
        RetryAfterSeconds = retryAfterSeconds;
        Latency = latency;
    }

    internal FaultKind Kind { get; }

    public RequestFilter Filter { get; }

    public double Fraction { get; }

    public int StatusCode { get; }

    public int? RetryAfterSeconds { get; }

    public TimeSpan Latency { get; }

    /// <summary>How many requests this rule has affected.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Whether the rule can still affect requests (not disposed, count not used up).</summary>
    public bool IsActive => Volatile.Read(ref _remaining) > 0;

    /// <summary>Takes one use of the rule if the roll passes; false when used up.</summary>
    internal bool TryTake(Func<double> roll)
    {
        if (Fraction < 1.0 && roll() >= Fraction)
        {
            return false;
        }

        while (true)
        {
            var remaining = Volatile.Read(ref _remaining);
            if (remaining <= 0)
            {
                return false;
            }

            var next = remaining == int.MaxValue ? remaining : remaining - 1;
            if (Interlocked.CompareExchange(ref _remaining, next, remaining) == remaining)
            {
                Interlocked.Increment(ref _hits);
                return true;
            }
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _remaining, 0);
        _owner.Remove(this);
    }
}
