namespace BandwidthOperator.ApiServerDouble;

/// <summary>
/// Which requests a fault applies to; every property that is set must match. <see cref="Verb"/> is the
/// Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection), <see cref="Resource"/>
/// the plural (<c>interfacebandwidths</c>), <see cref="Subresource"/> e.g. <c>status</c>.
/// </summary>
public sealed record RequestFilter(
    string? Verb = null,
    string? Resource = null,
    string? Subresource = null,
    string? Namespace = null,
    string? Name = null,
    string? Method = null,
    string? PathContains = null)
{
    /// <summary>Every request.</summary>
    public static RequestFilter Any { get; } = new();

    /// <summary>Writes to a <c>/status</c> subresource (PUT and PATCH).</summary>
    public static RequestFilter StatusWrites { get; } = new(Subresource: "status", Method: "PUT|PATCH");

    public bool Matches(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (Verb is null || Verb.Split('|').Contains(request.Verb, StringComparer.Ordinal))
            && (Resource is null || Resource == request.Resource)
            && (Subresource is null || Subresource == request.Subresource)
            && (Namespace is null || Namespace == request.Namespace)
            && (Name is null || Name == request.Name)
            && (Method is null || Method.Split('|').Contains(request.Method, StringComparer.OrdinalIgnoreCase))
            && (PathContains is null || request.Path.Contains(PathContains, StringComparison.Ordinal));
    }
}
