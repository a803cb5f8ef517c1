namespace BandwidthOperator.Agent.Hosting;

/// <summary>Section <c>Agent:Metrics</c>: the Prometheus endpoint (/metrics).</summary>
public sealed class MetricsOptions
{
    public bool Enabled { get; set; } = true;

    public int Port { get; set; } = 13090;

    /// <summary>
    /// false: plain HTTP on 127.0.0.1 only. true: HTTPS on every address (a self-signed certificate made at
    /// start), each request's bearer token checked with a TokenReview and its right to GET /metrics with a
    /// SubjectAccessReview, as kube-rbac-proxy and controller-runtime's metrics filters do.
    /// </summary>
    public bool Secure { get; set; }

    /// <summary>How long a token's verdict is reused (kube-apiserver caches successful authentications 10 s).</summary>
    public TimeSpan ReviewCacheDuration { get; set; } = TimeSpan.FromSeconds(10);
}
