using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Watching;

/// <summary>
/// A watch that runs only while it is wanted (Namespaces: while some network's selector needs their
/// labels). <see cref="Want"/> starts a fresh <see cref="ResourceWatcher{T}"/> (list, then watch) or stops
/// it and empties the cache; <see cref="Synced"/> says whether the cache holds a complete list now.
/// </summary>
public sealed class OnDemandWatch<T> : IAsyncDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceSource<T> _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ResourceWatcher<T>? _watcher;
    private CancellationTokenSource? _stop;
    private Task _running = Task.CompletedTask;

    public OnDemandWatch(IResourceSource<T> source, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _source = source;
        _time = time;
        _logger = logger;
    }

    /// <summary>The cache of the current run (a fresh, empty one per start and after a stop: a stopping watcher never writes into the next run's).</summary>
    public ResourceStore<T> Store => _store;

    private volatile ResourceStore<T> _store = new();

    /// <summary>Whether the watch runs (it was wanted last).</summary>
    public bool Wanted
    {
        get
        {
            lock (_gate)
            {
                return _watcher is not null;
            }
        }
    }

    /// <summary>Whether the watch runs and its first list is in <see cref="Store"/>.</summary>
    public bool Synced
    {
        get
        {
            lock (_gate)
            {
                return _watcher?.Synced == true;
            }
        }
    }

    /// <summary>
    /// Starts the watch (until <paramref name="stopping"/>) when <paramref name="wanted"/> and it is not running,
    /// reporting each change to <paramref name="onChange"/> (which only enqueues keys); stops it when not wanted.
    /// </summary>
    public void Want(bool wanted, Action<ResourceChange<T>> onChange, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
        {
            if (wanted && _watcher is null && !stopping.IsCancellationRequested)
            {
                _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                _store = new ResourceStore<T>();
                _watcher = new ResourceWatcher<T>(_source, _store, onChange, _time, _logger);
                var watcher = _watcher;
                var token = _stop.Token;
                _running = Task.Run(() => watcher.RunAsync(token), CancellationToken.None);
            }
            else if (!wanted && _watcher is not null)
            {
                _stop!.Cancel();
                _stop.Dispose();
                _stop = null;
                _watcher = null;
                _store = new ResourceStore<T>();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task running;
        lock (_gate)
        {
            _stop?.Cancel();
            running = _running;
        }

        await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            _stop?.Dispose();
            _stop = null;
            _watcher = null;
        }
    }
}
