using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using BandwidthOperator.Agent.Watching;
using k8s;
using k8s.Authentication;
using k8s.Autorest;
using k8s.Models;

namespace BandwidthOperator.Agent.Kube;

/// <summary>
/// The agent's own Kubernetes API client over <see cref="HttpClient"/>: GET, LIST (paged, with selectors),
/// WATCH (a stream of JSON lines with bookmarks; an ERROR event goes to the caller as a
/// <see cref="KubernetesException"/> carrying the Status, so 410 Expired leads to a new LIST), PATCH
/// (the caller names the patch type) and POST. It replaces KubernetesClient's <c>Kubernetes</c> class
/// in the agent: that class and its operation interfaces (thousands of methods) cost the agent
/// ≈ 12 MiB of resident memory for a dozen calls (docs/architecture.md, "Memory"). KubernetesClient's
/// model types and its configuration (<see cref="KubernetesClientConfiguration"/>: server, CA, client
/// certificate, token or token provider) are kept. Failures are thrown as KubernetesClient threw them
/// (<see cref="HttpOperationException"/> with the status code and the body), so callers read them alike.
/// </summary>
public sealed class KubeApi : IDisposable
{
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    private readonly HttpClient _http;
    private readonly Uri _server;
    private readonly Func<CancellationToken, Task<AuthenticationHeaderValue?>> _authorization;
    private readonly TimeSpan _timeout;

    /// <param name="server">The API server's base address (a path prefix is kept).</param>
    /// <param name="handler">Disposed with this client.</param>
    /// <param name="authorization">The Authorization header of each request (null: none), asked per request so a rotated token is used.</param>
    /// <param name="timeout">Of each request but watches (which run until the server ends them).</param>
    public KubeApi(Uri server, HttpMessageHandler handler, Func<CancellationToken, Task<AuthenticationHeaderValue?>> authorization, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(authorization);
        _server = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _authorization = authorization;
        _timeout = timeout;
    }

    /// <summary>A client for what <paramref name="config"/> describes, as KubernetesClient would connect with it.</summary>
    public static KubeApi Create(KubernetesClientConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrWhiteSpace(config.Host))
        {
            throw new InvalidOperationException("the Kubernetes configuration names no API server (Host)");
        }

        var server = new Uri(config.Host);
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) };
        if (server.Scheme == Uri.UriSchemeHttps)
        {
            var tls = handler.SslOptions;
            if (!string.IsNullOrEmpty(config.TlsServerName))
            {
                tls.TargetHost = config.TlsServerName;
            }

            if (config.SkipTlsVerify)
            {
#pragma warning disable CA5359 // the kubeconfig asks for it (insecure-skip-tls-verify), as KubernetesClient honours it
                tls.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            }
            else if (config.SslCaCerts is { Count: > 0 } authorities)
            {
                tls.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authorities, certificate, errors);
            }

            if (ClientCertificate(config) is { } clientCertificate)
            {
                tls.ClientCertificates = [clientCertificate];
            }
        }

        return new KubeApi(server, handler, AuthorizationOf(config), config.HttpClientTimeout);
    }

    /// <summary>GET of one object; null when it does not exist (404).</summary>
    public async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await SendAsync<T>(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// LIST of a collection, <paramref name="pageSize"/> objects per request (null: one request) following
    /// <c>continue</c>; returns the items and the list's resourceVersion to watch from.
    /// </summary>
    public async Task<ResourceList<T>> ListAsync<T>(string path, string? fieldSelector, string? labelSelector, int? pageSize, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? resourceVersion = null;
        string? next = null;
        do
        {
            var query = Query(("continue", next), ("fieldSelector", fieldSelector), ("labelSelector", labelSelector),
                ("limit", pageSize?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var page = await SendAsync<KubeList<T>>(HttpMethod.Get, path + query, null, null, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items?.Where(i => i is not null) ?? []);
            resourceVersion = page.Metadata?.ResourceVersion;
            next = page.Metadata?.ContinueProperty is { Length: > 0 } token ? token : null;
        }
        while (next is not null);

        return new ResourceList<T>(items, resourceVersion);
    }

    /// <summary>
    /// WATCH of a collection from <paramref name="resourceVersion"/>, with bookmarks, until the server ends it
    /// after <paramref name="timeoutSeconds"/>. An ERROR event is given to <paramref name="onError"/> as a
    /// <see cref="KubernetesException"/> with its Status (410 Expired: list again); an answer other than 200
    /// is thrown as <see cref="HttpOperationException"/>.
    /// </summary>
    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(
        string path, string? fieldSelector, string? labelSelector, string resourceVersion, int timeoutSeconds, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onError);
        var query = Query(("allowWatchBookmarks", "true"), ("fieldSelector", fieldSelector), ("labelSelector", labelSelector),
            ("resourceVersion", resourceVersion), ("timeoutSeconds", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("watch", "true"));
        using var request = await RequestAsync(HttpMethod.Get, path + query, null, null, cancellationToken).ConfigureAwait(false);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowUnlessSuccessAsync(request, response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var watchEvent = JsonSerializer.Deserialize<KubeWatchLine>(line, KubeJson.Options);
            if (watchEvent?.Type == "ERROR")
            {
                onError(new KubernetesException(
                    (watchEvent.Object.ValueKind == JsonValueKind.Object ? watchEvent.Object.Deserialize<V1Status>(KubeJson.Options) : null) ?? new V1Status { Message = line }));
                continue;
            }

            if (TypeOf(watchEvent?.Type) is not { } type || watchEvent!.Object.ValueKind != JsonValueKind.Object
                || watchEvent.Object.Deserialize<T>(KubeJson.Options) is not { } item)
            {
                onError(new JsonException($"a watch event that is not one: {(line.Length > 200 ? line[..200] : line)}"));
                continue;
            }

            yield return (type, item);
        }
    }

    /// <summary>PATCH with the body as the given patch type (<see cref="JsonPatch"/>, <see cref="MergePatch"/>, <see cref="ApplyPatch"/>); returns the object as stored.</summary>
    public Task<T> PatchAsync<T>(string path, string body, string patchType, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Patch, path, body, patchType, cancellationToken);

    /// <summary>POST (create) of <paramref name="body"/>; returns the object as stored.</summary>
    public Task<T> CreateAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, JsonSerializer.Serialize(body, body.GetType(), KubeJson.Options), "application/json", cancellationToken);

    /// <summary>A query string of the parameters that have a value, in the order given, values escaped.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var text = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                text.Append(text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return text.ToString();
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var request = await RequestAsync(method, path, body, contentType, timeout.Token).ConfigureAwait(false);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        await ThrowUnlessSuccessAsync(request, response, timeout.Token).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync<T>(stream, KubeJson.Options, timeout.Token).ConfigureAwait(false)
            ?? throw new JsonException($"{method} {path}: the API server answered null");
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(_server, path.TrimStart('/')));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = await _authorization(cancellationToken).ConfigureAwait(false);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");
        }

        return request;
    }

    /// <summary>A failed call as KubernetesClient reported it: the status code and the body (a Status) on the exception.</summary>
    private static async Task ThrowUnlessSuccessAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}', response body {content}")
        {
            Request = new HttpRequestMessageWrapper(request, null),
            Response = new HttpResponseMessageWrapper(response, content),
        };
    }

    private static WatchEventType? TypeOf(string? type) => type switch
    {
        "ADDED" => WatchEventType.Added,
        "MODIFIED" => WatchEventType.Modified,
        "DELETED" => WatchEventType.Deleted,
        "BOOKMARK" => WatchEventType.Bookmark,
        _ => null,
    };

    private static Func<CancellationToken, Task<AuthenticationHeaderValue?>> AuthorizationOf(KubernetesClientConfiguration config)
    {
        if (config.TokenProvider is { } provider)
        {
            return async ct => await provider.GetAuthenticationHeaderAsync(ct).ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(config.AccessToken))
        {
            var bearer = new AuthenticationHeaderValue("Bearer", config.AccessToken);
            return _ => Task.FromResult<AuthenticationHeaderValue?>(bearer);
        }

        if (!string.IsNullOrEmpty(config.Username))
        {
            var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}")));
            return _ => Task.FromResult<AuthenticationHeaderValue?>(basic);
        }

        return _ => Task.FromResult<AuthenticationHeaderValue?>(null);
    }

    /// <summary>The kubeconfig's client certificate and key (inline base64 PEM or files), or null when it names none.</summary>
    internal static X509Certificate2? ClientCertificate(KubernetesClientConfiguration config)
    {
        var certificate = Pem(config.ClientCertificateData, config.ClientCertificateFilePath);
        var key = Pem(config.ClientCertificateKeyData, config.ClientKeyFilePath);
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw new InvalidOperationException("the Kubernetes configuration has a client certificate without its key, or a key without its certificate");
        }

        return X509Certificate2.CreateFromPem(certificate, key);

        static string? Pem(string? data, string? file) =>
            !string.IsNullOrEmpty(data) ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
            : !string.IsNullOrEmpty(file) ? File.ReadAllText(file)
            : null;
    }

    /// <summary>The server's certificate chains to one of the configured authorities (the kubeconfig's or the pod's CA), name checked as usual.</summary>
    internal static bool TrustedBy(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
