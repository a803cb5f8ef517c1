using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Admission;
using BandwidthOperator.ApiServerDouble.Faults;
using BandwidthOperator.ApiServerDouble.Patching;
using BandwidthOperator.ApiServerDouble.Schema;
using BandwidthOperator.ApiServerDouble.Selection;
using BandwidthOperator.ApiServerDouble.Storage;
using Microsoft.AspNetCore.Http;

namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>Answers every HTTP request: faults, routing, the verbs, and the request log.</summary>
internal sealed class ApiHandler
{
    private readonly ObjectStore _store;
    private readonly FaultInjector _faults;
    private readonly RequestLog _log;
    private readonly WatchHub _watches;
    private readonly TimeProvider _time;
    private readonly Func<string> _serverAddress;
    private readonly AdmissionChain _admission;
    private readonly ServedTypes _served;

    public ApiHandler(ObjectStore store, FaultInjector faults, RequestLog log, WatchHub watches, TimeProvider time, Func<string> serverAddress, AdmissionChain admission, ServedTypes served)
    {
        _served = served;
        _admission = admission;
        _store = store;
        _faults = faults;
        _log = log;
        _watches = watches;
        _time = time;
        _serverAddress = serverAddress;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var watch = request.Query["watch"] is var w && (w == "true" || w == "1");
        var target = RequestTarget.Parse(request.Method, path, watch, _served.Types);
        var info = new RecordedRequest(_time.GetUtcNow(), request.Method, path, request.QueryString.Value ?? string.Empty, request.ContentType,
            0, target.Verb, target.Group, target.Resource, target.Subresource, target.Namespace, target.Name, request.Headers.UserAgent.ToString(), false);
        context.Response.Headers.CacheControl = "no-cache, private";

        foreach (var latency in _faults.Take(FaultKind.Latency, info))
        {
            await Task.Delay(latency.Latency, context.RequestAborted).ConfigureAwait(false);
        }

        if (_faults.Take(FaultKind.Fail, info) is [var failure])
        {
            var error = Injected(failure.StatusCode, failure.RetryAfterSeconds);
            await WriteErrorAsync(context, error).ConfigureAwait(false);
            _log.Add(info with { StatusCode = error.Code, Injected = true });
            return;
        }

        if (target.Type is not null && target.Name is not null && target.Verb is "update" or "patch" && _faults.Take(FaultKind.Conflict, info) is [_])
        {
            var error = ApiError.Conflict(target.Type, target.Name);
            await WriteErrorAsync(context, error).ConfigureAwait(false);
            _log.Add(info with { StatusCode = error.Code, Injected = true });
            return;
        }

        if (request.Method == "POST" && Reviews.Kind(path) is { } review)
        {
            var reviewCode = await ServeReviewAsync(context, review).ConfigureAwait(false);
            _log.Add(info with { StatusCode = reviewCode, Verb = "create", Group = review.Group, Resource = review.Resource });
            return;
        }

        if (target.Verb == "watch")
        {
            await _watches.ServeAsync(context, target, status => _log.Add(info with { StatusCode = status })).ConfigureAwait(false);
            return;
        }

        int code;
        try
        {
            code = await DispatchAsync(context, target, path).ConfigureAwait(false);
        }
        catch (ApiError error)
        {
            await WriteErrorAsync(context, error).ConfigureAwait(false);
            code = error.Code;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = new ApiError(500, "InternalError", $"Internal error occurred: {e}", []);
            await WriteErrorAsync(context, error).ConfigureAwait(false);
            code = error.Code;
        }

        _log.Add(info with { StatusCode = code });
    }

    private async Task<int> DispatchAsync(HttpContext context, RequestTarget target, string path)
    {
        switch (target.Kind)
        {
            case TargetKind.Discovery:
                var document = Discovery.For(path, _serverAddress(), _served.Types);
                if (document is null)
                {
                    return await WritePlainNotFoundAsync(context).ConfigureAwait(false);
                }

                return await WriteJsonAsync(context, 200, document).ConfigureAwait(false);
            case TargetKind.PlainNotFound:
                return await WritePlainNotFoundAsync(context).ConfigureAwait(false);
            case TargetKind.CoreNotFound:
                throw new ApiError(404, "NotFound", "the server could not find the requested resource", []);
        }

        var type = target.Type!;
        var manager = Manager(context);
        var user = _admission.Authenticate(context.Request.Headers.Authorization.ToString());
        Action<JsonObject, JsonObject> admit = (old, updated) => _admission.Admit(new AdmissionRequest(
            "UPDATE", type.Group, type.Version, type.Plural, target.Subresource, target.Namespace, target.Name!, user, old, updated), type);
        var fields = new FieldValidation(context.Request.Query["fieldValidation"] == "Strict");
        context.Response.OnStarting(() =>
        {
            foreach (var pruned in fields.Pruned)
            {
                context.Response.Headers.Append("Warning", $"299 - \"unknown field \\\"{pruned}\\\"\"");
            }

            return Task.CompletedTask;
        });
        switch (target.Verb)
        {
            case "get":
                var found = _store.Get(type, target.Namespace, target.Name!) ?? throw ApiError.NotFound(type, target.Name!);
                return await WriteJsonAsync(context, 200, found).ConfigureAwait(false);
            case "list":
                return await WriteJsonAsync(context, 200, List(context, target)).ConfigureAwait(false);
            case "create":
                if (target.Subresource is not null)
                {
                    throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", []);
                }

                var body = await ReadObjectAsync(context).ConfigureAwait(false);
                var metadata = body["metadata"] as JsonObject ?? [];
                body["metadata"] = metadata;
                if (type.Namespaced)
                {
                    var bodyNamespace = (string?)metadata["namespace"];
                    if (target.Namespace is null)
                    {
                        throw new ApiError(404, "NotFound", "the server could not find the requested resource", []);
                    }

                    if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != target.Namespace)
                    {
                        throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
                    }

                    metadata["namespace"] = target.Namespace;
                }
                else
                {
                    metadata.Remove("namespace");
                }

                var created = _store.Create(type, body, manager, fields);
                return await WriteJsonAsync(context, 201, created).ConfigureAwait(false);
            case "update":
                var replacement = await ReadObjectAsync(context).ConfigureAwait(false);
                var updated = _store.Update(type, target.Namespace, target.Name!, target.Subresource, manager, _ => replacement, fields: fields, admit: admit);
                return await WriteJsonAsync(context, 200, updated).ConfigureAwait(false);
            case "patch":
                var patched = await PatchAsync(context, target, manager, fields, admit).ConfigureAwait(false);
                return await WriteJsonAsync(context, context.Response.StatusCode == 201 ? 201 : 200, patched).ConfigureAwait(false);
            case "delete":
                var (rv, uid) = await DeletePreconditionsAsync(context).ConfigureAwait(false);
                var (remaining, last) = _store.Delete(type, target.Namespace, target.Name!, rv, uid);
                if (remaining is not null || type == ResourceType.Pods)
                {
                    return await WriteJsonAsync(context, 200, remaining ?? last).ConfigureAwait(false);
                }

                var details = new JsonObject { ["name"] = target.Name };
                if (type.Group.Length > 0)
                {
                    details["group"] = type.Group;
                }

                details["kind"] = type.Plural;
                details["uid"] = (string?)last["metadata"]?["uid"];
                return await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = "Status",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Success",
                    ["details"] = details,
                }).ConfigureAwait(false);
            default:
                throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", []);
        }
    }

    private JsonObject List(HttpContext context, RequestTarget target)
    {
        var type = target.Type!;
        var query = context.Request.Query;
        var (labels, fields) = Selectors(query, type);
        if (query["resourceVersionMatch"] == "Exact" && long.TryParse(query["resourceVersion"], CultureInfo.InvariantCulture, out var exact)
            && exact < _store.OldestResourceVersion)
        {
            throw ApiError.Expired("The resourceVersion for the provided list is too old.");
        }

        var (items, listRv) = _store.List(type, target.Namespace, v => labels.Matches(v.Labels) && fields.Matches(v.Fields));
        string? start = null;
        if (query["continue"] is { Count: > 0 } token && !string.IsNullOrEmpty(token))
        {
            (listRv, start) = ContinueToken.Decode(token.ToString());
            if (listRv < _store.OldestResourceVersion)
            {
                throw ApiError.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
            }

            items = [.. items.Where(i => string.CompareOrdinal(i.Key, start) > 0)];
        }

        var listMeta = new JsonObject();
        if (int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var limit) && limit > 0 && items.Count > limit)
        {
            var remaining = items.Count - limit;
            items = items[..limit];
            listMeta["continue"] = ContinueToken.Encode(listRv, items[^1].Key);
            listMeta["remainingItemCount"] = remaining;
        }
        else if (type.IsCustom)
        {
            listMeta["continue"] = string.Empty;
        }

        listMeta["resourceVersion"] = listRv.ToString(CultureInfo.InvariantCulture);
        var array = new JsonArray();
        foreach (var (_, obj) in items)
        {
            if (!type.IsCustom)
            {
                obj.Remove("apiVersion");
                obj.Remove("kind");
            }

            array.Add(obj);
        }

        return type.IsCustom
            ? new JsonObject { ["apiVersion"] = type.ApiVersion, ["items"] = array, ["kind"] = type.ListKind, ["metadata"] = listMeta }
            : new JsonObject { ["kind"] = type.ListKind, ["apiVersion"] = type.ApiVersion, ["metadata"] = listMeta, ["items"] = array };
    }

    public static (LabelSelector Labels, FieldSelector Fields) Selectors(IQueryCollection query, ResourceType type)
    {
        try
        {
            return (LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], type));
        }
        catch (NotSupportedException e)
        {
            throw ApiError.BadRequest(e.Message);
        }
        catch (FormatException e)
        {
            throw ApiError.BadRequest(e.Message);
        }
    }

    /// <summary>TokenReview (transcripts 102-104, 117) and SubjectAccessReview (105, 108): always 201, the verdict in <c>status</c>.</summary>
    private async Task<int> ServeReviewAsync(HttpContext context, Reviews.Target review)
    {
        JsonObject body;
        try
        {
            body = await ReadObjectAsync(context).ConfigureAwait(false);
        }
        catch (ApiError error)
        {
            await WriteErrorAsync(context, error).ConfigureAwait(false);
            return error.Code;
        }

        var answer = review.Resource == "tokenreviews"
            ? Reviews.TokenReview(body, _admission.Review((string?)body["spec"]?["token"] ?? string.Empty), _time.GetUtcNow())
            : Reviews.SubjectAccessReview(body, _admission, _time.GetUtcNow());
        return await WriteJsonAsync(context, 201, answer).ConfigureAwait(false);
    }

    private async Task<JsonObject> PatchAsync(HttpContext context, RequestTarget target, string manager, FieldValidation fields, Action<JsonObject, JsonObject> admit)
    {
        var type = target.Type!;
        var contentType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim();
        var text = await ReadBodyAsync(context).ConfigureAwait(false);
        switch (contentType)
        {
            case "application/merge-patch+json":
            case "application/strategic-merge-patch+json" when !type.IsCustom:
                var merge = Parse(text);
                return _store.Update(type, target.Namespace, target.Name!, target.Subresource, manager,
                    live => JsonMergePatch.Apply(live, merge) as JsonObject ?? throw ApiError.BadRequest("the patch did not produce an object"), fields: fields, admit: admit);
            case "application/json-patch+json":
                if (Parse(text) is not JsonArray operations)
                {
                    throw ApiError.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
                }

                return _store.Update(type, target.Namespace, target.Name!, target.Subresource, manager, live =>
                {
                    try
                    {
                        return JsonPatch.Apply(live, operations) as JsonObject ?? throw new JsonPatchException("not an object");
                    }
                    catch (JsonPatchException)
                    {
                        throw new ApiError(422, "Invalid", "the server rejected our request due to an error in our request", []);
                    }
                }, fields: fields, admit: admit);
            case "application/apply-patch+yaml":
                var fieldManager = context.Request.Query["fieldManager"].ToString();
                if (string.IsNullOrEmpty(fieldManager))
                {
                    throw ApiError.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
                }

                JsonObject applied;
                try
                {
                    applied = YamlJson.Parse(text, "apply patch").Single();
                }
                catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidDataException or InvalidOperationException)
                {
                    throw ApiError.BadRequest($"error decoding YAML: {e.Message}");
                }

                var force = context.Request.Query["force"] == "true";
                if (target.Subresource is null && _store.Get(type, target.Namespace, target.Name!) is null)
                {
                    var metadata = applied["metadata"] as JsonObject ?? [];
                    applied["metadata"] = metadata;
                    metadata["name"] = target.Name;
                    if (type.Namespaced)
                    {
                        metadata["namespace"] = target.Namespace;
                    }

                    context.Response.StatusCode = 201;
                    return _store.Create(type, applied, fieldManager, fields, apply: true);
                }

                return _store.Update(type, target.Namespace, target.Name!, target.Subresource, fieldManager, live => live, (force, applied), fields, admit);
            default:
                throw ApiError.UnsupportedMediaType();
        }
    }

    private static async Task<(string? ResourceVersion, string? Uid)> DeletePreconditionsAsync(HttpContext context)
    {
        var text = await ReadBodyAsync(context).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text) || Parse(text) is not JsonObject options)
        {
            return (null, null);
        }

        return ((string?)options["preconditions"]?["resourceVersion"], (string?)options["preconditions"]?["uid"]);
    }

    private static string Manager(HttpContext context)
    {
        var fieldManager = context.Request.Query["fieldManager"].ToString();
        if (!string.IsNullOrEmpty(fieldManager))
        {
            return fieldManager;
        }

        var agent = context.Request.Headers.UserAgent.ToString();
        return agent.Length == 0 ? "unknown" : agent.Split('/')[0];
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        Parse(await ReadBodyAsync(context).ConfigureAwait(false)) as JsonObject
        ?? throw ApiError.BadRequest("the body of the request is not a JSON object");

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"error decoding request body: {e.Message}");
        }
    }

    private static ApiError Injected(int code, int? retryAfterSeconds)
    {
        var (reason, message) = code switch
        {
            400 => ("BadRequest", "injected fault"),
            401 => ("Unauthorized", "Unauthorized"),
            403 => ("Forbidden", "injected fault: forbidden"),
            404 => ("NotFound", "the server could not find the requested resource"),
            409 => ("Conflict", "injected fault: conflict"),
            410 => ("Expired", "injected fault: expired"),
            429 => ("TooManyRequests", "storage is (re)initializing"),
            500 => ("InternalError", "Internal error occurred: injected fault"),
            503 => ("ServiceUnavailable", "injected fault: service unavailable"),
            504 => ("Timeout", "injected fault: timeout"),
            _ => ("InternalError", "injected fault"),
        };
        var details = retryAfterSeconds is { } seconds ? new JsonObject { ["retryAfterSeconds"] = seconds } : code is 400 or 410 ? null : [];
        return new ApiError(code, reason, message, details, retryAfterSeconds);
    }

    public static async Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(context, error.Code, error.ToStatus()).ConfigureAwait(false);
    }

    private static async Task<int> WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        return code;
    }

    private static async Task<int> WritePlainNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await context.Response.WriteAsync("404 page not found\n", context.RequestAborted).ConfigureAwait(false);
        return 404;
    }
}
