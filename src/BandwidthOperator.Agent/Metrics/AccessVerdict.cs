namespace BandwidthOperator.Agent.Metrics;

/// <summary>What a scrape may get: 200 with the metrics, 401 (no valid token) or 403 (not allowed to GET /metrics), and why.</summary>
public sealed record AccessVerdict(int Status, string Reason, string? User)
{
    public bool Allowed => Status == 200;
}
