using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>What a KubernetesClient call failed with: the HTTP status and the Status body.</summary>
internal static class ClientErrors
{
    public static async Task<(HttpStatusCode Code, JsonObject Status)> FailureOf(Func<Task> call)
    {
        var e = await Should.ThrowAsync<HttpOperationException>(call);
        return (e.Response.StatusCode, JsonNode.Parse(e.Response.Content)!.AsObject());
    }

    /// <summary>Asserts the common Status shape of the transcripts: kind, apiVersion, empty metadata, Failure, reason, code.</summary>
    public static void ShouldBeStatus(this JsonObject status, int code, string reason, string message)
    {
        ((string?)status["kind"]).ShouldBe("Status");
        ((string?)status["apiVersion"]).ShouldBe("v1");
        status["metadata"]!.AsObject().Count.ShouldBe(0);
        ((string?)status["status"]).ShouldBe("Failure");
        ((string?)status["reason"]).ShouldBe(reason);
        ((string?)status["message"]).ShouldBe(message);
        ((int?)status["code"]).ShouldBe(code);
    }
}
