using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BandwidthOperator.Agent.Kube;
using k8s.Models;

namespace BandwidthOperator.Agent.Metrics;

/// <summary>
/// Authentication and authorization of a scrape the way kube-rbac-proxy and controller-runtime's
/// <c>WithAuthenticationAndAuthorization</c> do it: the bearer token goes to a TokenReview (the API server
/// answers 201 even for a bad token, with <c>status.error</c> and no <c>authenticated</c>: the verdict is
/// <c>authenticated</c>, never the text); the user then needs a SubjectAccessReview allowing
/// <c>get</c> on the non-resource path <c>/metrics</c>. Verdicts are cached per token (by hash) for
/// <see cref="_cacheFor"/>; errors talking to the API are not cached.
/// Equivalent to: <c>kubectl create --raw /apis/authentication.k8s.io/v1/tokenreviews</c>, then
/// <c>kubectl auth can-i get /metrics --as USER</c>.
/// </summary>
public sealed class MetricsAccessReview
{
    private readonly KubeApi _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly ConcurrentDictionary<string, (AccessVerdict Verdict, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public MetricsAccessReview(KubeApi client, TimeProvider time, TimeSpan cacheFor)
    {
        _client = client;
        _time = time;
        _cacheFor = cacheFor;
    }

    public async Task<AccessVerdict> CheckAsync(string? authorization, string path, CancellationToken cancellationToken)
    {
        const string Bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || authorization.Length == Bearer.Length)
        {
            return new AccessVerdict(401, "no bearer token", null);
        }

        var token = authorization[Bearer.Length..].Trim();
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))) + " " + path;
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Verdict;
        }

        var verdict = await ReviewAsync(token, path, cancellationToken).ConfigureAwait(false);
        if (_cacheFor > TimeSpan.Zero)
        {
            _cache[key] = (verdict, now + _cacheFor);
            if (_cache.Count > 1000)
            {
                foreach (var stale in _cache.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
                {
                    _cache.TryRemove(stale, out _);
                }
            }
        }

        return verdict;
    }

    private async Task<AccessVerdict> ReviewAsync(string token, string path, CancellationToken cancellationToken)
    {
        var review = await _client.CreateAsync<V1TokenReview>(
            "apis/authentication.k8s.io/v1/tokenreviews", new V1TokenReview { ApiVersion = "authentication.k8s.io/v1", Kind = "TokenReview", Spec = new V1TokenReviewSpec { Token = token } }, cancellationToken).ConfigureAwait(false);
        if (review.Status?.Authenticated != true || review.Status.User is not { } user)
        {
            return new AccessVerdict(401, "token not authenticated: " + (review.Status?.Error ?? "no reason given"), null);
        }

        var access = await _client.CreateAsync<V1SubjectAccessReview>("apis/authorization.k8s.io/v1/subjectaccessreviews", new V1SubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SubjectAccessReview",
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user.Username,
                Uid = user.Uid,
                Groups = user.Groups,
                Extra = user.Extra,
                NonResourceAttributes = new V1NonResourceAttributes { Path = path, Verb = "get" },
            },
        }, cancellationToken).ConfigureAwait(false);
        return access.Status?.Allowed == true
            ? new AccessVerdict(200, access.Status.Reason ?? "allowed", user.Username)
            : new AccessVerdict(403, $"{user.Username} may not get {path}", user.Username);
    }
}
