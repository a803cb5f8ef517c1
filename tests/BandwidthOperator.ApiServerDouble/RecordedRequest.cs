namespace BandwidthOperator.ApiServerDouble;

/// <summary>
/// One request the double answered. <see cref="Verb"/>, <see cref="Group"/>, <see cref="Resource"/> and
/// <see cref="Subresource"/> are what an RBAC rule would name (<see cref="Verb"/> is empty for
/// discovery and unknown paths). <see cref="Injected"/> tells whether a fault answered it.
/// </summary>
public sealed record RecordedRequest(
    DateTimeOffset Time,
    string Method,
    string Path,
    string Query,
    string? ContentType,
    int StatusCode,
    string Verb,
    string Group,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string? UserAgent,
    bool Injected)
{
    public override string ToString() => $"{Method} {Path}{Query} -> {StatusCode}";
}
