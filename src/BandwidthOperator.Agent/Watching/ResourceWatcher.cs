using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace BandwidthOperator.Agent.Watching;

/// <summary>
/// Keeps a <see cref="ResourceStore{T}"/> current: list, then watch from the list's resourceVersion
/// (with bookmarks), resume from the last resourceVersion seen when a watch ends, list again on
/// 410 Gone, and back off with jitter on other errors. Every change is reported to <c>onChange</c>
/// (which only enqueues keys).
/// </summary>
public sealed partial class ResourceWatcher<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceSource<T> _source;
    private readonly ResourceStore<T> _store;
    private readonly Action<ResourceChange<T>> _onChange;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private string? _resourceVersion;
    private volatile bool _synced;

    public ResourceWatcher(IResourceSource<T> source, ResourceStore<T> store, Action<ResourceChange<T>> onChange, TimeProvider time, ILogger logger,
        TimeSpan? firstRetryDelay = null, TimeSpan? maxRetryDelay = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(onChange);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _source = source;
        _store = store;
        _onChange = onChange;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = firstRetryDelay ?? TimeSpan.FromMilliseconds(500),
                MaxDelay = maxRetryDelay ?? TimeSpan.FromSeconds(30),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is KindNotServedException)
                    {
                        return ValueTask.CompletedTask; // expected while the CRD is absent; said once by whoever watches for it
                    }

                    Log.WatchFailed(_logger, _source.Kind, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>True once the first list has been stored.</summary>
    public bool Synced => _synced;

    /// <summary>The resourceVersion the next watch starts from (null: list first).</summary>
    public string? ResourceVersion => _resourceVersion;

    /// <summary>Number of LIST calls made (1 + relists).</summary>
    public int Lists { get; private set; }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; never throws otherwise.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _retry.ExecuteAsync(CycleAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One list (when needed) and one watch, until the watch ends. Throws on errors, for the retry pipeline.</summary>
    private async ValueTask CycleAsync(CancellationToken cancellationToken)
    {
        if (_resourceVersion is null)
        {
            var list = await _source.ListAsync(cancellationToken).ConfigureAwait(false);
            Lists++;
            var changes = _store.Replace(list.Items);
            _resourceVersion = list.ResourceVersion ?? string.Empty;
            _store.ResourceVersion = _resourceVersion;
            _synced = true;
            Log.Listed(_logger, list.Items.Count, _source.Kind, _resourceVersion);
            foreach (var change in changes)
            {
                _onChange(change);
            }
        }

        Exception? streamError = null;
        try
        {
            await foreach (var (type, item) in _source.WatchAsync(_resourceVersion, e => streamError = e, cancellationToken).ConfigureAwait(false))
            {
                Apply(type, item);
            }
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
        {
            streamError = e;
        }

        if (streamError is null)
        {
            return;
        }

        if (IsGone(streamError))
        {
            Log.Expired(_logger, _source.Kind, _resourceVersion);
            _resourceVersion = null;
            return;
        }

        throw new InvalidOperationException($"watch of {_source.Kind} failed: {streamError.Message}", streamError);
    }

    private void Apply(WatchEventType type, T item)
    {
        var rv = item.Metadata?.ResourceVersion;
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                var old = _store.Upsert(item);
                _onChange(new ResourceChange<T>(old, item));
                break;
            case WatchEventType.Deleted:
                var removed = _store.Remove(ObjectKey.Of(item));
                _onChange(new ResourceChange<T>(removed ?? item, null));
                break;
            case WatchEventType.Bookmark:
                break;
            default:
                return;
        }

        if (!string.IsNullOrEmpty(rv))
        {
            _resourceVersion = rv;
            _store.ResourceVersion = rv;
        }
    }

    private static bool IsGone(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == 410,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };
}
