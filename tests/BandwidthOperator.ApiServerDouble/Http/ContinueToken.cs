using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>The opaque list continue token, shaped like kube-apiserver's: base64 of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}</c>.</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["v"] = "meta.k8s.io/v1",
            ["rv"] = resourceVersion,
            ["start"] = lastKey + "\0",
        }.ToJsonString()));

    public static (long ResourceVersion, string LastKey) Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!;
            var start = (string)json["start"]!;
            return ((long)json["rv"]!, start.TrimEnd('\0'));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiError.BadRequest(string.Create(CultureInfo.InvariantCulture, $"continue key is not valid: {e.Message}"));
        }
    }
}
