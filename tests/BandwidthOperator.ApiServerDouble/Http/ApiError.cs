using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>A failed request, answered with a <c>Status</c> body shaped like kube-apiserver's.</summary>
internal sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message, JsonObject? details, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public int Code { get; }

    public string Reason { get; }

    /// <summary>The <c>details</c> object, or <see langword="null"/> to leave the key out (400, 415).</summary>
    public JsonObject? Details { get; }

    public int? RetryAfterSeconds { get; }

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details);

    public static JsonObject Status(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    private static JsonObject ObjectDetails(ResourceType type, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        return details;
    }

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", ObjectDetails(type, name));

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", ObjectDetails(type, name));

    public static ApiError Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            ObjectDetails(type, name));

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message, null);

    /// <summary>422 with one cause per error, message <c>Kind.group "name" is invalid: f: m</c> or <c>[f: m, g: n]</c>.</summary>
    /// <param name="inOrder">Keep the causes in the order given (built-in types validate field by field, e.g. a Node's capacity before its allocatable, transcript 73) instead of sorting them by field.</param>
    public static ApiError Invalid(ResourceType type, string name, IReadOnlyList<(string Field, string Reason, string Message)> causes, bool inOrder = false)
    {
        var sorted = inOrder ? causes.ToList() : causes.OrderBy(c => c.Field, StringComparer.Ordinal).ToList();
        var parts = sorted.Select(c => $"{c.Field}: {c.Message}").ToList();
        var summary = parts.Count == 1 ? parts[0] : $"[{string.Join(", ", parts)}]";
        var qualifiedKind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Kind;
        details["causes"] = new JsonArray([.. sorted.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = c.Reason,
            ["message"] = c.Message,
            ["field"] = c.Field,
        })]);
        return new(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {summary}", details);
    }

    public static ApiError Expired(string message) => new(410, "Expired", message, null);

    public static ApiError UnsupportedMediaType() => new(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
        null);
}
