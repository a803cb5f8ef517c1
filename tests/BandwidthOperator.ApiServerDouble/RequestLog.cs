namespace BandwidthOperator.ApiServerDouble;

/// <summary>Every request the double answered, in order (watches when their stream starts).</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];

    /// <summary>A copy of the requests so far.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    internal RecordedRequest? Find(Func<RecordedRequest, bool> predicate)
    {
        lock (_gate)
        {
            return _requests.FirstOrDefault(predicate);
        }
    }

    internal void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }
}
