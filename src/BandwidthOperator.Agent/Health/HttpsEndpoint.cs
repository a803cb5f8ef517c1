using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BandwidthOperator.Agent.Metrics;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Health;

/// <summary>
/// A minimal HTTPS endpoint on every address (IPv4 and IPv6) for /metrics when it must be reachable from
/// outside the node: TLS with a self-signed certificate made at start (ECDSA P-256, one year), HTTP/1.1
/// GET only, one request per connection (<c>Connection: close</c>), and every request authorized first
/// (<see cref="MetricsAccessReview"/>): 401 without a valid token, 403 without the right to GET the path.
/// Equivalent to: <c>curl -k -H "Authorization: Bearer $TOKEN" https://NODE:PORT/metrics</c>.
/// </summary>
public sealed partial class HttpsEndpoint : IServedEndpoint
{
    private const int MaxHeaderBytes = 16 * 1024;
    private readonly TcpListener _listener;
    private readonly IReadOnlyDictionary<string, Func<HttpAnswer>> _routes;
    private readonly Func<string?, string, CancellationToken, Task<AccessVerdict>> _authorize;
    private readonly X509Certificate2 _certificate;
    private readonly ILogger _logger;
    private readonly string _routeNames;
    private Task? _loop;

    public HttpsEndpoint(int port, IReadOnlyDictionary<string, Func<HttpAnswer>> routes,
        Func<string?, string, CancellationToken, Task<AccessVerdict>> authorize, string subject, ILogger logger)
    {
        _listener = Listener(port);
        _routes = routes;
        _routeNames = string.Join(", ", routes.Keys);
        _authorize = authorize;
        _logger = logger;
        _certificate = SelfSigned(subject);
        Thumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        Port = port;
    }

    public int Port { get; }

    /// <summary>The certificate's SHA-256 thumbprint (logged at start, so a scraper can pin it).</summary>
    public string Thumbprint { get; }

    public void Start(CancellationToken cancellationToken)
    {
        _listener.Start();
        Log.Listening(_logger, Port, _routeNames, Thumbprint);
        _loop = Task.Run(() => AcceptAsync(cancellationToken), CancellationToken.None);
    }

    public async Task StopAsync()
    {
        _listener.Stop();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _certificate.Dispose();
    }

    /// <summary>Every IPv6 and IPv4 address (dual mode), or every IPv4 address on a node without IPv6.</summary>
    private static TcpListener Listener(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.IPv6Any, port);
            listener.Server.DualMode = true;
            return listener;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressFamilyNotSupported)
        {
            return new TcpListener(IPAddress.Any, port);
        }
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(subject);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => _listener.Stop());
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, timeout.Token).ConfigureAwait(false);
            var head = await ReadHeadAsync(tls, timeout.Token).ConfigureAwait(false);
            var answer = head is null ? Text(400, "bad request\n") : await AnswerAsync(head.Value, timeout.Token).ConfigureAwait(false);
            var body = Encoding.UTF8.GetBytes(answer.Body);
            var header = $"HTTP/1.1 {answer.Status} {ReasonPhrase(answer.Status)}\r\nContent-Type: {answer.ContentType}\r\nContent-Length: {body.Length}\r\n"
                + (answer.Status == 401 ? "WWW-Authenticate: Bearer\r\n" : string.Empty) + "Connection: close\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(header), timeout.Token).ConfigureAwait(false);
            await tls.WriteAsync(body, timeout.Token).ConfigureAwait(false);
            await tls.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // one bad connection (TLS failure, reset, API error) must not end the endpoint
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.RequestFailed(_logger, Port, e.GetType().Name, e.Message);
        }
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }

    private async Task<HttpAnswer> AnswerAsync((string Method, string Path, string? Authorization) head, CancellationToken cancellationToken)
    {
        if (head.Method is not ("GET" or "HEAD"))
        {
            return Text(405, "method not allowed\n");
        }

        if (!_routes.TryGetValue(head.Path, out var route))
        {
            return Text(404, "not found\n");
        }

        var verdict = await _authorize(head.Authorization, head.Path, cancellationToken).ConfigureAwait(false);
        if (!verdict.Allowed)
        {
            Log.Refused(_logger, Port, head.Path, verdict.Status, verdict.Reason);
            return Text(verdict.Status, verdict.Status == 401 ? "Unauthorized\n" : "Forbidden\n");
        }

        return route();
    }

    /// <summary>The request line's method and path (query left off) and the Authorization header; null when malformed.</summary>
    private static async Task<(string Method, string Path, string? Authorization)?> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeaderBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var lines = text[..end].Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            {
                return null;
            }

            var authorization = lines.Skip(1)
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2 && p[0].Trim().Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                .Select(p => p[1].Trim())
                .FirstOrDefault();
            return (parts[0], parts[1].Split('?')[0], authorization);
        }

        return null;
    }

    private static HttpAnswer Text(int status, string body) => new(status, "text/plain; charset=utf-8", body);

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
}
