using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using BandwidthOperator.ApiServerDouble.Http;
using BandwidthOperator.ApiServerDouble.Patching;
using BandwidthOperator.ApiServerDouble.Schema;

namespace BandwidthOperator.ApiServerDouble.Storage;

/// <summary>
/// The objects, one global resourceVersion counter, the retained event window and the watchers.
/// Every read and write happens under one lock, so events reach each watcher in RV order.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceType, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly LinkedList<StoredEvent> _log = new();
    private readonly List<Channel<StoredEvent>> _watchers = [];
    private readonly TimeProvider _time;
    private readonly CrdCatalog _crds;
    private readonly int _retainedEvents;
    private long _resourceVersion;
    private long _oldestResourceVersion;

    public ObjectStore(TimeProvider time, CrdCatalog crds, long initialResourceVersion, int retainedEvents)
    {
        _time = time;
        _crds = crds;
        _resourceVersion = initialResourceVersion;
        _oldestResourceVersion = initialResourceVersion;
        _retainedEvents = retainedEvents;
        foreach (var type in ResourceType.All)
        {
            _objects[type] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        }
    }

    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>The oldest RV a watch may start from; older ones get 410 Expired.</summary>
    public long OldestResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _oldestResourceVersion;
            }
        }
    }

    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    private string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Drops every retained event: watches from any RV before now get 410 Expired.</summary>
    public void ExpireResourceVersions()
    {
        lock (_gate)
        {
            _resourceVersion++;
            _oldestResourceVersion = _resourceVersion;
            _log.Clear();
        }
    }

    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects[type].TryGetValue(Key(ns, name), out var obj) ? obj.DeepClone().AsObject() : null;
        }
    }

    public bool NamespaceExists(string ns)
    {
        lock (_gate)
        {
            return _objects[ResourceType.Namespaces].ContainsKey(ns);
        }
    }

    /// <summary>The objects in <paramref name="ns"/> (all when null) matching <paramref name="predicate"/>, sorted by key, and the list's RV.</summary>
    public (List<(string Key, JsonObject Object)> Items, long ResourceVersion) List(ResourceType type, string? ns, Func<ObjectView, bool> predicate)
    {
        lock (_gate)
        {
            var items = new List<(string, JsonObject)>();
            foreach (var (key, obj) in _objects[type])
            {
                var view = ObjectView.Of(type, obj);
                if ((ns is null || view.Namespace == ns) && predicate(view))
                {
                    items.Add((key, obj.DeepClone().AsObject()));
                }
            }

            return (items, _resourceVersion);
        }
    }

    public JsonObject Create(ResourceType type, JsonObject obj, string manager, FieldValidation? fields = null, bool apply = false)
    {
        obj = Reparsed(obj);
        lock (_gate)
        {
            var metadata = obj["metadata"] as JsonObject ?? [];
            obj["metadata"] = metadata;
            var name = (string?)metadata["name"];
            if (string.IsNullOrEmpty(name) && (string?)metadata["generateName"] is { Length: > 0 } prefix)
            {
                name = prefix + Guid.NewGuid().ToString("N")[..5];
                metadata["name"] = name;
            }

            if (string.IsNullOrEmpty(name))
            {
                throw ApiError.Invalid(type, string.Empty, [("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
            }

            var ns = (string?)metadata["namespace"];
            if (type.Namespaced && !_objects[ResourceType.Namespaces].ContainsKey(ns!))
            {
                throw ApiError.NotFound(ResourceType.Namespaces, ns!);
            }

            if (_objects[type].ContainsKey(Key(ns, name)))
            {
                throw ApiError.AlreadyExists(type, name);
            }

            if (type.IsCustom)
            {
                obj.Remove("status");
            }

            obj["apiVersion"] = type.ApiVersion;
            obj["kind"] = type.Kind;
            foreach (var system in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation" })
            {
                metadata.Remove(system);
            }

            Defaults.OnCreate(type, obj);
            Prune(type, obj, fields);
            Validate(type, obj);
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Now();
            if (type.HasGeneration)
            {
                metadata["generation"] = 1;
            }

            ManagedFieldsTracker.RecordUpdate(null, obj, manager, null, Schema(type), type.ApiVersion, Now());
            if (apply && obj["metadata"]?["managedFields"] is JsonArray { Count: > 0 } entries)
            {
                entries[0]!["operation"] = "Apply";
            }

            return Commit(type, Key(ns, name), null, obj, "ADDED");
        }
    }

    /// <summary>
    /// Writes <paramref name="candidate"/> (the object after a PUT body or a patch) over the live one: checks the
    /// resourceVersion precondition, keeps what the subresource may not change, validates, bumps generation,
    /// records managedFields (<paramref name="apply"/> for server-side apply), and deletes the object when its
    /// last finalizer is gone during deletion. Returns the response body.
    /// </summary>
    public JsonObject Update(ResourceType type, string? ns, string name, string? subresource, string manager,
        Func<JsonObject, JsonObject> candidateFrom, (bool Force, JsonObject Applied)? apply = null, FieldValidation? fields = null,
        Action<JsonObject, JsonObject>? admit = null)
    {
        lock (_gate)
        {
            var key = Key(ns, name);
            if (!_objects[type].TryGetValue(key, out var live))
            {
                throw ApiError.NotFound(type, name);
            }

            var candidate = Reparsed(candidateFrom(live.DeepClone().AsObject()));
            var liveRv = (string?)live["metadata"]?["resourceVersion"];
            var sentRv = (string?)candidate["metadata"]?["resourceVersion"];
            if (!string.IsNullOrEmpty(sentRv) && sentRv != liveRv)
            {
                throw ApiError.Conflict(type, name);
            }

            var sentName = (string?)candidate["metadata"]?["name"];
            if (!string.IsNullOrEmpty(sentName) && sentName != name)
            {
                throw ApiError.BadRequest($"the name of the object ({sentName}) does not match the name on the URL ({name})");
            }

            var result = Merge(type, live, candidate, subresource);
            if (apply is { } a)
            {
                var appliedResult = ManagedFieldsTracker.Apply(result, a.Applied, manager, a.Force, subresource, Schema(type), type.ApiVersion, Now());
                result = Merge(type, live, appliedResult, subresource);
                if (appliedResult["metadata"]?["managedFields"] is JsonNode managedFields)
                {
                    result["metadata"]!["managedFields"] = managedFields.DeepClone();
                }
                else
                {
                    result["metadata"]!.AsObject().Remove("managedFields");
                }
            }

            Defaults.OnUpdate(type, result);
            Prune(type, result, fields);
            Validate(type, result);
            admit?.Invoke(live, result);

            if (SameIgnoringManagedFields(live, result) && apply is null)
            {
                return live.DeepClone().AsObject();
            }

            if (type.HasGeneration && !JsonNode.DeepEquals(SpecPart(live), SpecPart(result)))
            {
                result["metadata"]!["generation"] = ((long?)live["metadata"]?["generation"] ?? 0) + 1;
            }

            if (apply is null)
            {
                ManagedFieldsTracker.RecordUpdate(live, result, manager, subresource, Schema(type), type.ApiVersion, Now());
            }

            if (SameIgnoringManagedFields(live, result) && JsonNode.DeepEquals(live["metadata"]?["managedFields"], result["metadata"]?["managedFields"]))
            {
                return live.DeepClone().AsObject();
            }

            var terminating = result["metadata"]?["deletionTimestamp"] is not null;
            if (terminating && result["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
            {
                var response = result.DeepClone().AsObject();
                response["metadata"]!["resourceVersion"] = liveRv;
                Commit(type, key, live, live.DeepClone().AsObject(), "DELETED");
                return Canonical(type, response);
            }

            return Commit(type, key, live, result, "MODIFIED");
        }
    }

    /// <summary>Deletes, or marks Terminating while finalizers remain. Returns the object (still there) or null (gone) and the last state.</summary>
    public (JsonObject? Remaining, JsonObject Last) Delete(ResourceType type, string? ns, string name, string? preconditionRv, string? preconditionUid)
    {
        lock (_gate)
        {
            var key = Key(ns, name);
            if (!_objects[type].TryGetValue(key, out var live))
            {
                throw ApiError.NotFound(type, name);
            }

            if ((preconditionRv is not null && preconditionRv != (string?)live["metadata"]?["resourceVersion"])
                || (preconditionUid is not null && preconditionUid != (string?)live["metadata"]?["uid"]))
            {
                throw ApiError.Conflict(type, name);
            }

            if (live["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
            {
                if (live["metadata"]?["deletionTimestamp"] is not null)
                {
                    return (live.DeepClone().AsObject(), live.DeepClone().AsObject());
                }

                var marked = live.DeepClone().AsObject();
                var metadata = marked["metadata"]!.AsObject();
                metadata["deletionTimestamp"] = Now();
                metadata["deletionGracePeriodSeconds"] = 0;
                if (type.HasGeneration)
                {
                    metadata["generation"] = ((long?)metadata["generation"] ?? 0) + 1;
                }

                var stored = Commit(type, key, live, marked, "MODIFIED");
                return (stored, stored);
            }

            var last = Commit(type, key, live, live.DeepClone().AsObject(), "DELETED");
            return (null, last);
        }
    }

    /// <summary>
    /// Registers a watcher. Returns the events to send first (replayed from <paramref name="fromRv"/>, or synthetic
    /// ADDED for every object when null), the RV the watcher has seen up to, and the channel for later events.
    /// Null when <paramref name="fromRv"/> is older than the retained window.
    /// </summary>
    public (List<StoredEvent> Initial, long SeenRv, Channel<StoredEvent> Channel)? Subscribe(ResourceType type, long? fromRv)
    {
        lock (_gate)
        {
            var initial = new List<StoredEvent>();
            if (fromRv is { } from)
            {
                if (from < _oldestResourceVersion)
                {
                    return null;
                }

                initial.AddRange(_log.Where(e => e.Type == type && e.ResourceVersion > from));
            }
            else
            {
                foreach (var obj in _objects[type].Values)
                {
                    initial.Add(new StoredEvent(type, "ADDED", long.Parse((string)obj["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture),
                        obj.ToJsonString(), ObjectView.Of(type, obj), null, null));
                }
            }

            var channel = Channel.CreateUnbounded<StoredEvent>();
            _watchers.Add(channel);
            return (initial, _resourceVersion, channel);
        }
    }

    /// <summary>The RV a bookmark may carry for this watcher: the current RV when it has no undelivered events, else null.</summary>
    public long? BookmarkResourceVersion(Channel<StoredEvent> channel)
    {
        lock (_gate)
        {
            return channel.Reader.Count == 0 ? _resourceVersion : null;
        }
    }

    public void Unsubscribe(Channel<StoredEvent> channel)
    {
        lock (_gate)
        {
            _watchers.Remove(channel);
        }
    }

    private JsonObject Commit(ResourceType type, string key, JsonObject? previous, JsonObject updated, string eventType)
    {
        var rv = ++_resourceVersion;
        var rvText = rv.ToString(CultureInfo.InvariantCulture);
        updated = Canonical(type, updated);
        updated["metadata"]!["resourceVersion"] = rvText;
        updated = Reparsed(updated);
        if (eventType == "DELETED")
        {
            _objects[type].Remove(key);
        }
        else
        {
            _objects[type][key] = updated;
        }

        string? previousJson = null;
        if (previous is not null && eventType == "MODIFIED")
        {
            var old = previous.DeepClone().AsObject();
            old["metadata"]!["resourceVersion"] = rvText;
            previousJson = old.ToJsonString();
        }

        var evt = new StoredEvent(type, eventType, rv, updated.ToJsonString(), ObjectView.Of(type, updated),
            previous is null ? null : ObjectView.Of(type, previous), previousJson);
        _log.AddLast(evt);
        while (_log.Count > _retainedEvents)
        {
            _oldestResourceVersion = _log.First!.Value.ResourceVersion;
            _log.RemoveFirst();
        }

        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(evt);
        }

        return updated.DeepClone().AsObject();
    }

    private static JsonObject Merge(ResourceType type, JsonObject live, JsonObject candidate, string? subresource)
    {
        if (subresource == "status")
        {
            var result = live.DeepClone().AsObject();
            if (candidate["status"] is JsonNode status)
            {
                result["status"] = status.DeepClone();
            }
            else
            {
                result.Remove("status");
            }

            return result;
        }

        var merged = candidate.DeepClone().AsObject();
        merged["apiVersion"] = type.ApiVersion;
        merged["kind"] = type.Kind;
        var metadata = merged["metadata"] as JsonObject ?? [];
        merged["metadata"] = metadata;
        var liveMetadata = live["metadata"]!.AsObject();
        foreach (var system in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "managedFields", "resourceVersion" })
        {
            if (liveMetadata[system] is JsonNode value)
            {
                metadata[system] = value.DeepClone();
            }
            else
            {
                metadata.Remove(system);
            }
        }

        if (type.HasStatus)
        {
            if (live["status"] is JsonNode status)
            {
                merged["status"] = status.DeepClone();
            }
            else
            {
                merged.Remove("status");
            }
        }

        return merged;
    }

    private static JsonObject SpecPart(JsonObject obj)
    {
        var part = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (name is not ("apiVersion" or "kind" or "metadata" or "status"))
            {
                part[name] = value?.DeepClone();
            }
        }

        return part;
    }

    private static bool SameIgnoringManagedFields(JsonObject a, JsonObject b)
    {
        var x = a.DeepClone().AsObject();
        var y = b.DeepClone().AsObject();
        (x["metadata"] as JsonObject)?.Remove("managedFields");
        (y["metadata"] as JsonObject)?.Remove("managedFields");
        return JsonNode.DeepEquals(x, y);
    }

    /// <summary>A copy backed by parsed JSON, so numbers convert freely (an int built in C# does not read as double).</summary>
    private static JsonObject Reparsed(JsonObject obj) => JsonNode.Parse(obj.ToJsonString())!.AsObject();

    public JsonObject? Schema(ResourceType type) =>
        type.IsCustom && _crds.TryGetServed(type.ApiVersion, type.Kind, out _, out var schema) ? schema : null;

    /// <summary>Drops undeclared fields of a custom resource; <see cref="FieldValidation.Strict"/> refuses them with 400 instead.</summary>
    private void Prune(ResourceType type, JsonObject obj, FieldValidation? fields)
    {
        if (Schema(type) is not { } schema)
        {
            return;
        }

        var pruned = UnknownFieldPruner.Prune(obj, schema);
        if (pruned.Count == 0)
        {
            return;
        }

        if (fields?.Strict == true)
        {
            throw ApiError.BadRequest("strict decoding error: " + string.Join(", ", pruned.Select(p => $"unknown field \"{p}\"")));
        }

        fields?.Pruned.AddRange(pruned);
    }

    private void Validate(ResourceType type, JsonObject obj)
    {
        if (!type.IsCustom || Schema(type) is null)
        {
            return; // built-in, or a CRD that preserves unknown fields without a schema (the KubeVirt stand-in of 91)
        }

        var (errors, _) = _crds.Validate(obj);
        var causes = errors
            .Where(e => e.Message != "unknown field")
            .Select(e => (e.Path, Reason(e.Message), e.Message))
            .ToList();
        if (causes.Count > 0)
        {
            throw ApiError.Invalid(type, (string?)obj["metadata"]?["name"] ?? string.Empty, causes);
        }
    }

    private static string Reason(string message) => message switch
    {
        _ when message.StartsWith("Required value", StringComparison.Ordinal) => "FieldValueRequired",
        _ when message.Contains("must be of type", StringComparison.Ordinal) => "FieldValueTypeInvalid",
        _ when message.StartsWith("Unsupported value", StringComparison.Ordinal) => "FieldValueNotSupported",
        _ when message.StartsWith("Too long", StringComparison.Ordinal) => "FieldValueTooLong",
        _ when message.StartsWith("Too many", StringComparison.Ordinal) => "FieldValueTooMany",
        _ when message.StartsWith("Duplicate value", StringComparison.Ordinal) => "FieldValueDuplicate",
        _ when message.StartsWith("Forbidden", StringComparison.Ordinal) => "FieldValueForbidden",
        _ => "FieldValueInvalid",
    };

    /// <summary>Custom resources come back with keys sorted (recursively); built-in types keep their order.</summary>
    public static JsonObject Canonical(ResourceType type, JsonObject obj) => type.IsCustom ? (JsonObject)Sorted(obj)! : obj;

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
