using System.Globalization;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Admission;

namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>
/// The answers of <c>POST …/tokenreviews</c> and <c>POST …/subjectaccessreviews</c>, shaped as recorded:
/// 201 even for a bad token, with <c>status.error</c> and no <c>authenticated</c> (103); a denial is only
/// <c>{"allowed": false}</c> (105); an allowance names the ClusterRoleBinding (108).
/// </summary>
internal static class Reviews
{
    public sealed record Target(string Group, string Resource);

    public static Target? Kind(string path) => path switch
    {
        "/apis/authentication.k8s.io/v1/tokenreviews" => new("authentication.k8s.io", "tokenreviews"),
        "/apis/authorization.k8s.io/v1/subjectaccessreviews" => new("authorization.k8s.io", "subjectaccessreviews"),
        _ => null,
    };

    public static JsonObject TokenReview(JsonObject request, AdmissionUser? user, DateTimeOffset now)
    {
        JsonObject status;
        if (user is null)
        {
            status = new JsonObject { ["user"] = new JsonObject(), ["error"] = "invalid bearer token" };
        }
        else
        {
            var extra = new JsonObject();
            foreach (var (key, values) in user.Extra.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                extra[key] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }

            status = new JsonObject
            {
                ["authenticated"] = true,
                ["user"] = new JsonObject
                {
                    ["username"] = user.Username,
                    ["uid"] = user.Uid,
                    ["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray()),
                    ["extra"] = extra,
                },
                ["audiences"] = new JsonArray("https://kubernetes.default.svc"),
            };
        }

        return Answer("authentication.k8s.io/v1", "TokenReview", request, status, now, new JsonObject { ["f:spec"] = new JsonObject { ["f:token"] = new JsonObject() } });
    }

    public static JsonObject SubjectAccessReview(JsonObject request, AdmissionChain admission, DateTimeOffset now)
    {
        var spec = request["spec"] as JsonObject ?? [];
        var user = (string?)spec["user"] ?? string.Empty;
        var groups = (spec["groups"] as JsonArray ?? []).Select(g => (string?)g).OfType<string>().ToList();
        var path = (string?)spec["nonResourceAttributes"]?["path"];
        var verb = (string?)spec["nonResourceAttributes"]?["verb"];
        var binding = path is null || verb is null ? null : admission.AllowedBy(user, groups, path, verb);
        var status = binding is null
            ? new JsonObject { ["allowed"] = false }
            : new JsonObject
            {
                ["allowed"] = true,
                ["reason"] = $"RBAC: allowed by ClusterRoleBinding \"{binding}\" of ClusterRole \"{binding}\" to {Subject(user)}",
            };
        return Answer("authorization.k8s.io/v1", "SubjectAccessReview", request, status, now, null);
    }

    // kube-apiserver writes a ServiceAccount subject as "name/namespace" (108).
    private static string Subject(string user) =>
        user.Split(':') is ["system", "serviceaccount", var ns, var name] ? $"ServiceAccount \"{name}/{ns}\"" : $"User \"{user}\"";

    private static JsonObject Answer(string apiVersion, string kind, JsonObject request, JsonObject status, DateTimeOffset now, JsonObject? fields) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = apiVersion,
        ["metadata"] = new JsonObject
        {
            ["managedFields"] = new JsonArray(new JsonObject
            {
                ["manager"] = "unknown",
                ["operation"] = "Update",
                ["apiVersion"] = apiVersion,
                ["time"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = fields ?? new JsonObject { ["f:spec"] = new JsonObject() },
            }),
        },
        ["spec"] = request["spec"]?.DeepClone() ?? new JsonObject(),
        ["status"] = status,
    };
}
