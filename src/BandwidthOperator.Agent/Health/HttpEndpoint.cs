using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Health;

/// <summary>
/// A minimal HTTP endpoint (<see cref="HttpListener"/>, no ASP.NET) serving GET routes with text
/// answers; used for /healthz, /readyz and (unless secure) /metrics, each on 127.0.0.1 only.
/// </summary>
public sealed partial class HttpEndpoint : IServedEndpoint
{
    private readonly HttpListener _listener = new();
    private readonly IReadOnlyDictionary<string, Func<HttpAnswer>> _routes;
    private readonly ILogger _logger;
    private readonly string _routeNames;
    private Task? _loop;

    public HttpEndpoint(string prefix, IReadOnlyDictionary<string, Func<HttpAnswer>> routes, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(logger);
        _listener.Prefixes.Add(prefix);
        _routes = routes;
        _logger = logger;
        Prefix = prefix;
        _routeNames = string.Join(", ", routes.Keys);
    }

    public string Prefix { get; }

    public void Start(CancellationToken cancellationToken)
    {
        _listener.Start();
        Log.Listening(_logger, Prefix, _routeNames);
        _loop = Task.Run(() => ServeAsync(cancellationToken), CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => _listener.Stop());
        while (_listener.IsListening && !cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                var path = context.Request.Url?.AbsolutePath ?? "/";
                var answer = _routes.TryGetValue(path, out var route) ? route() : new HttpAnswer(404, "text/plain; charset=utf-8", "not found\n");
                var bytes = Encoding.UTF8.GetBytes(answer.Body);
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = answer.ContentType;
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                context.Response.Close();
            }
#pragma warning disable CA1031 // one bad request must not end the endpoint
            catch (Exception e)
            {
                Log.RequestFailed(_logger, Prefix, e);
                context.Response.Abort();
            }
#pragma warning restore CA1031
        }
    }
}
