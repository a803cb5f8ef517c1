namespace BandwidthOperator.ApiServerDouble.Faults;

/// <summary>
/// Faults a test switches on and off while the double runs: failed requests (a count or a fraction, any
/// status; 429 and 503 carry <c>Retry-After</c>), latency, 409 conflict storms on writes, dropped watch
/// streams and expired resource versions.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Random _random;
    private readonly Action<bool> _dropWatches;
    private readonly Func<int> _watchCount;
    private readonly Action _expire;

    internal FaultInjector(int seed, Action<bool> dropWatches, Func<int> watchCount, Action expire)
    {
        _random = new Random(seed);
        _dropWatches = dropWatches;
        _watchCount = watchCount;
        _expire = expire;
    }

    /// <summary>The next <paramref name="count"/> requests matching <paramref name="filter"/> fail with <paramref name="statusCode"/>.</summary>
    public FaultRule FailNext(int count, int statusCode, RequestFilter? filter = null, int? retryAfterSeconds = null) =>
        Add(new FaultRule(this, FaultKind.Fail, filter ?? RequestFilter.Any, count, 1.0, statusCode, retryAfterSeconds ?? DefaultRetryAfter(statusCode), TimeSpan.Zero));

    /// <summary>Until disposed, each request matching <paramref name="filter"/> fails with probability <paramref name="fraction"/> (seeded, repeatable).</summary>
    public FaultRule FailFraction(double fraction, int statusCode, RequestFilter? filter = null, int? retryAfterSeconds = null) =>
        Add(new FaultRule(this, FaultKind.Fail, filter ?? RequestFilter.Any, null, fraction, statusCode, retryAfterSeconds ?? DefaultRetryAfter(statusCode), TimeSpan.Zero));

    /// <summary>Until disposed (or <paramref name="count"/> requests), matching requests wait <paramref name="delay"/> before they are served.</summary>
    public FaultRule AddLatency(TimeSpan delay, RequestFilter? filter = null, int? count = null) =>
        Add(new FaultRule(this, FaultKind.Latency, filter ?? RequestFilter.Any, count, 1.0, 0, null, delay));

    /// <summary>
    /// A conflict storm: until disposed (or <paramref name="count"/> requests), writes matching <paramref name="filter"/>
    /// (default: writes to <c>/status</c>) get 409 Conflict "the object has been modified", as if someone else always wrote first.
    /// </summary>
    public FaultRule StartConflictStorm(int? count = null, RequestFilter? filter = null) =>
        Add(new FaultRule(this, FaultKind.Conflict, filter ?? RequestFilter.StatusWrites, count, 1.0, 409, null, TimeSpan.Zero));

    /// <summary>Ends every open watch stream now (cleanly, or by aborting the connection); returns how many were open.</summary>
    public int DropWatches(bool abortConnection = false)
    {
        var open = _watchCount();
        _dropWatches(abortConnection);
        return open;
    }

    /// <summary>Forgets every retained event: a watch from any resourceVersion handed out before now gets 410 Expired (a fresh LIST's RV works).</summary>
    public void ExpireResourceVersions() => _expire();

    /// <summary>
    /// What clients see when the API server restarts: open watches are cut, every older resourceVersion
    /// expires (410 on the next watch from it), and the next <paramref name="refusedWatches"/> watches get
    /// 429 "storage is (re)initializing" with <c>Retry-After: 1</c> (transcript 68). Objects are kept.
    /// </summary>
    public FaultRule SimulateRestart(int refusedWatches = 1)
    {
        var refusal = FailNext(refusedWatches, 429, new RequestFilter(Verb: "watch"), 1);
        _expire();
        _dropWatches(true);
        return refusal;
    }

    /// <summary>Switches every rule off.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var rule in _rules.ToList())
            {
                rule.Dispose();
            }

            _rules.Clear();
        }
    }

    internal void Remove(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Remove(rule);
        }
    }

    /// <summary>The rules of <paramref name="kind"/> that take this request, in the order added.</summary>
    internal List<FaultRule> Take(FaultKind kind, RecordedRequest request)
    {
        lock (_gate)
        {
            var taken = new List<FaultRule>();
            foreach (var rule in _rules.Where(r => r.Kind == kind && r.Filter.Matches(request)).ToList())
            {
                if (rule.TryTake(_random.NextDouble))
                {
                    taken.Add(rule);
                    if (kind != FaultKind.Latency)
                    {
                        break;
                    }
                }
            }

            return taken;
        }
    }

    private FaultRule Add(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    private static int? DefaultRetryAfter(int statusCode) => statusCode is 429 or 503 ? 1 : null;
}
