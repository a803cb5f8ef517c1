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

    /// <summary>
    /// What the requests so far needed from RBAC: each (group, resource, verb), the resource with its subresource
    /// (<c>interfacebandwidths/status</c>). Discovery and unknown paths are left out; injected failures count.
    /// </summary>
    public IReadOnlySet<RbacPermission> Permissions()
    {
        lock (_gate)
        {
            return _requests
                .Where(r => r.Verb.Length > 0)
                .Select(r => new RbacPermission(r.Group, r.Subresource is null ? r.Resource : $"{r.Resource}/{r.Subresource}", r.Verb))
                .ToHashSet();
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
