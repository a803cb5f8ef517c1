using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Plain HTTP to the double, for what the client has no method for and for exact status bodies.</summary>
internal sealed class RawHttp : IDisposable
{
    private readonly HttpClient _http;

    public RawHttp(KubeApiServerDouble api) => _http = new HttpClient { BaseAddress = api.BaseAddress };

    public sealed record Reply(HttpStatusCode Status, string? ContentType, string Text, HttpResponseMessage Message)
    {
        public JsonObject Json => JsonNode.Parse(Text)!.AsObject();
    }

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Reply> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body.ToJsonString(), "application/json");

    public Task<Reply> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body.ToJsonString(), "application/json");

    public Task<Reply> PatchAsync(string path, string body, string contentType) => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.UserAgent.ParseAdd("curl/7.88.1");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType!);
        }

        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.ToString(), text, response);
    }

    /// <summary>Opens a watch and reads its lines until the stream ends or <paramref name="until"/> says stop.</summary>
    public async Task<List<JsonObject>> WatchAsync(string pathAndQuery, Func<List<JsonObject>, bool>? until = null, TimeSpan? limit = null, Func<Task>? whenOpen = null)
    {
        using var cts = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<JsonObject>();
        var opened = whenOpen?.Invoke() ?? Task.CompletedTask;
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            events.Add(JsonNode.Parse(line)!.AsObject());
            if (until?.Invoke(events) == true)
            {
                break;
            }
        }

        await opened;
        return events;
    }

    public void Dispose() => _http.Dispose();
}
