namespace BandwidthOperator.Agent.Queue;

/// <summary>
/// A deduplicating work queue of keys (client-go's workqueue): a key is queued at most once; a key
/// being processed is not handed out again until <see cref="Done"/>, and if it was added meanwhile it
/// is queued again then. Delayed and rate-limited adds run on the injected <see cref="TimeProvider"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A work queue is what it is (client-go's name).")]
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Due, ITimer Timer)> _delayed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _backoff;
    private bool _shutDown;

    public WorkQueue(TimeProvider time, ExponentialBackoff backoff)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(backoff);
        _time = time;
        _backoff = backoff;
    }

    /// <summary>Keys waiting to be handed out (not counting those being processed or delayed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Keys waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_gate)
            {
                return _delayed.Count;
            }
        }
    }

    public bool IsShutDown
    {
        get
        {
            lock (_gate)
            {
                return _shutDown;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already queued.</summary>
    public void Add(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_shutDown || !_dirty.Add(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                return;
            }

            _queue.Enqueue(key);
        }

        _available.Release();
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/> (an earlier pending delay of the same key wins).</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_shutDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = _time.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (due, timer);
        }
    }

    /// <summary>Queues <paramref name="key"/> after its next backoff delay (one more failure).</summary>
    public TimeSpan AddRateLimited(string key)
    {
        var delay = _backoff.NextDelay(key);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the failure history of <paramref name="key"/> (it succeeded).</summary>
    public void Forget(string key) => _backoff.Reset(key);

    public int Failures(string key) => _backoff.Failures(key);

    /// <summary>Waits for a key; null once the queue is shut down and drained.</summary>
    public async Task<string?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }

                if (_shutDown)
                {
                    _available.Release();
                    return null;
                }
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> as processed; queues it again if it was added meanwhile.</summary>
    public void Done(string key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (!_dirty.Contains(key) || _shutDown)
            {
                return;
            }

            _queue.Enqueue(key);
        }

        _available.Release();
    }

    /// <summary>Stops accepting keys and wakes every waiter (they get null).</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            if (_shutDown)
            {
                return;
            }

            _shutDown = true;
            foreach (var (_, pending) in _delayed)
            {
                pending.Timer.Dispose();
            }

            _delayed.Clear();
            _queue.Clear();
            _dirty.Clear();
        }

        _available.Release();
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }

    private void Fire(string key, DateTimeOffset due)
    {
        lock (_gate)
        {
            if (!_delayed.TryGetValue(key, out var pending) || pending.Due != due)
            {
                return;
            }

            _delayed.Remove(key);
            pending.Timer.Dispose();
        }

        Add(key);
    }
}
