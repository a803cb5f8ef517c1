using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Storage;
using Microsoft.AspNetCore.Http;

namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>
/// Watch streams: HTTP 200, <c>application/json</c>, chunked, one <c>{"type":…,"object":…}</c> per line.
/// Replays retained events from the requested RV (or sends a synthetic ADDED per object without one),
/// turns objects leaving a selector into DELETED, sends bookmarks, answers a too-old RV with one ERROR
/// event (410 Expired), and ends at <c>timeoutSeconds</c> or when a test drops it.
/// </summary>
internal sealed class WatchHub
{
    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _bookmarkInterval;
    private readonly Lock _gate = new();
    private readonly HashSet<Session> _sessions = [];

    /// <summary>Stream timing (timeoutSeconds, bookmarks) runs on the real clock, whatever clock stamps objects.</summary>
    public WatchHub(ObjectStore store, TimeSpan bookmarkInterval)
    {
        _store = store;
        _time = TimeProvider.System;
        _bookmarkInterval = bookmarkInterval;
    }

    private sealed class Session(HttpContext context, CancellationTokenSource stop)
    {
        public HttpContext Context { get; } = context;

        public CancellationTokenSource Stop { get; } = stop;
    }

    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    public void DropAll(bool abort)
    {
        List<Session> sessions;
        lock (_gate)
        {
            sessions = [.. _sessions];
        }

        foreach (var session in sessions)
        {
            if (abort)
            {
                session.Context.Abort();
            }

            try
            {
                session.Stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended (and disposed its token source) between the copy of the sessions and now: nothing to stop.
            }
        }
    }

    public async Task<int> ServeAsync(HttpContext context, RequestTarget target, Action<int> logStatus)
    {
        var type = target.Type!;
        var query = context.Request.Query;
        Selection.LabelSelector labels;
        Selection.FieldSelector fields;
        try
        {
            (labels, fields) = ApiHandler.Selectors(query, type);
        }
        catch (ApiError error)
        {
            await ApiHandler.WriteErrorAsync(context, error).ConfigureAwait(false);
            logStatus(error.Code);
            return error.Code;
        }

        var bookmarks = query["allowWatchBookmarks"] == "true";
        var rvText = query["resourceVersion"].ToString();
        long? from = null;
        if (rvText.Length > 0 && rvText != "0")
        {
            if (!long.TryParse(rvText, CultureInfo.InvariantCulture, out var parsed))
            {
                var error = ApiError.BadRequest($"invalid resource version: {rvText}");
                await ApiHandler.WriteErrorAsync(context, error).ConfigureAwait(false);
                logStatus(error.Code);
                return error.Code;
            }

            from = parsed;
        }

        var timeout = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : Timeout.InfiniteTimeSpan;
        var ns = target.Namespace;
        var name = target.Name;
        bool Match(ObjectView v) => (ns is null || v.Namespace == ns) && (name is null || v.Name == name) && labels.Matches(v.Labels) && fields.Matches(v.Fields);

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        var subscription = _store.Subscribe(type, from);
        if (subscription is null)
        {
            logStatus(200);
            var status = ApiError.Expired($"too old resource version: {from} ({_store.OldestResourceVersion})").ToStatus();
            await WriteLineAsync(response, new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
            return 200;
        }

        var (initial, seenRv, channel) = subscription.Value;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var session = new Session(context, stop);
        lock (_gate)
        {
            _sessions.Add(session);
        }

        try
        {
            await response.StartAsync(stop.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            logStatus(200);
            foreach (var evt in initial.Where(e => from is not null || Match(e.View)))
            {
                await SendAsync(response, evt, Match, stop.Token).ConfigureAwait(false);
            }

            if (from is null && bookmarks)
            {
                await WriteLineAsync(response, Bookmark(type, seenRv, initialEventsEnd: true), stop.Token).ConfigureAwait(false);
            }

            var deadline = timeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : _time.GetUtcNow() + timeout;
            var nextBookmark = _time.GetUtcNow() + _bookmarkInterval;
            while (!stop.IsCancellationRequested)
            {
                while (channel.Reader.TryRead(out var evt))
                {
                    // The store writes every kind's events to every watcher: this stream is for one kind.
                    if (evt.Type == type)
                    {
                        await SendAsync(response, evt, Match, stop.Token).ConfigureAwait(false);
                    }
                }

                var now = _time.GetUtcNow();
                if (now >= deadline)
                {
                    if (bookmarks && _store.BookmarkResourceVersion(channel) is { } last)
                    {
                        await WriteLineAsync(response, Bookmark(type, last, initialEventsEnd: false), stop.Token).ConfigureAwait(false);
                    }

                    break;
                }

                if (bookmarks && now >= nextBookmark)
                {
                    if (_store.BookmarkResourceVersion(channel) is { } rv)
                    {
                        await WriteLineAsync(response, Bookmark(type, rv, initialEventsEnd: false), stop.Token).ConfigureAwait(false);
                    }

                    nextBookmark = now + _bookmarkInterval;
                }

                var wait = Min(deadline == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : deadline - now, bookmarks ? nextBookmark - now : Timeout.InfiniteTimeSpan);
                using var waitCts = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                if (wait != Timeout.InfiniteTimeSpan)
                {
                    waitCts.CancelAfter(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
                }

                try
                {
                    if (!await channel.Reader.WaitToReadAsync(waitCts.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // a bookmark or the deadline is due
                }
            }
        }
        catch (OperationCanceledException)
        {
            // dropped by a test, or the client went away
        }
        catch (IOException)
        {
            // the client went away
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            var status = new ApiError(500, "InternalError", $"Internal error occurred: {e}", null).ToStatus();
            await WriteLineAsync(response, new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString(), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _store.Unsubscribe(channel);
            lock (_gate)
            {
                _sessions.Remove(session);
            }
        }

        return 200;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) =>
        a == Timeout.InfiniteTimeSpan ? b : b == Timeout.InfiniteTimeSpan ? a : a < b ? a : b;

    private static async Task SendAsync(HttpResponse response, StoredEvent evt, Func<ObjectView, bool> match, CancellationToken cancellationToken)
    {
        var line = evt.EventType switch
        {
            "ADDED" when match(evt.View) => Line("ADDED", evt.Json),
            "DELETED" when match(evt.View) => Line("DELETED", evt.Json),
            "MODIFIED" => (evt.Previous is { } previous && match(previous), match(evt.View)) switch
            {
                (true, true) => Line("MODIFIED", evt.Json),
                (false, true) => Line("ADDED", evt.Json),
                (true, false) => Line("DELETED", evt.PreviousJson!),
                _ => null,
            },
            _ => null,
        };
        if (line is not null)
        {
            await WriteLineAsync(response, line, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Line(string type, string objectJson) => $"{{\"type\":\"{type}\",\"object\":{objectJson}}}";

    private static string Bookmark(ResourceType type, long rv, bool initialEventsEnd)
    {
        var metadata = new JsonObject();
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        metadata["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var obj = new JsonObject { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind, ["metadata"] = metadata };
        return new JsonObject { ["type"] = "BOOKMARK", ["object"] = obj }.ToJsonString();
    }

    private static async Task WriteLineAsync(HttpResponse response, string line, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
