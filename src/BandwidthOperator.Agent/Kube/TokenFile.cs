using System.Net.Http.Headers;
using k8s.Authentication;

namespace BandwidthOperator.Agent.Kube;

/// <summary>
/// A bearer token read from a file (the pod's projected service-account token), read again whenever the
/// file changes: the kubelet rotates bound tokens in place, and a request must carry the current one.
/// Checking costs one stat per request; the file is read only when its write time or length changed.
/// </summary>
public sealed class TokenFile(string path) : ITokenProvider
{
    private readonly Lock _gate = new();
    private (DateTime Written, long Length, string Token)? _last;

    public string Path => path;

    public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new AuthenticationHeaderValue("Bearer", Current()));

    /// <summary>The token as the file holds it now.</summary>
    public string Current()
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"service-account token file {path} does not exist", path);
        }

        lock (_gate)
        {
            if (_last is { } last && last.Written == info.LastWriteTimeUtc && last.Length == info.Length)
            {
                return last.Token;
            }

            var token = File.ReadAllText(path).Trim();
            _last = (info.LastWriteTimeUtc, info.Length, token);
            return token;
        }
    }
}
