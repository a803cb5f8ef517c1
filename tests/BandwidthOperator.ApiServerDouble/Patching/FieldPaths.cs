using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Patching;

/// <summary>
/// Sets of field paths as server-side apply tracks them. A path is tokens joined by <c>'\n'</c>, each
/// token <c>f:name</c> (a field) or <c>k:{"nodeName":"node-a"}</c> (an entry of a list-map, as in
/// <c>x-kubernetes-list-type: map</c>). Leaves and list-map entries are members; plain objects are not.
/// Lists without list-map keys are atomic (one leaf).
/// </summary>
internal static class FieldPaths
{
    private const char Separator = '\n';

    /// <summary>The members of <paramref name="value"/> (an object), under <paramref name="schema"/> when known.</summary>
    public static HashSet<string> Collect(JsonObject value, JsonObject? schema)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        CollectObject(value, schema, string.Empty, set);
        return set;
    }

    private static void CollectObject(JsonObject value, JsonObject? schema, string prefix, HashSet<string> set)
    {
        foreach (var (name, child) in value)
        {
            var childSchema = schema?["properties"]?[name] as JsonObject ?? schema?["additionalProperties"] as JsonObject;
            CollectValue(child, childSchema, Join(prefix, $"f:{name}"), set);
        }
    }

    private static void CollectValue(JsonNode? value, JsonObject? schema, string path, HashSet<string> set)
    {
        switch (value)
        {
            case JsonObject o when o.Count > 0:
                CollectObject(o, schema, path, set);
                break;
            case JsonArray a when ListMapKeys(schema) is { } keys:
                foreach (var item in a.OfType<JsonObject>())
                {
                    var entry = Join(path, EntryToken(item, keys));
                    set.Add(entry);
                    CollectObject(item, schema?["items"] as JsonObject, entry, set);
                }

                break;
            default:
                set.Add(path);
                break;
        }
    }

    public static IReadOnlyList<string>? ListMapKeys(JsonObject? schema) =>
        (string?)schema?["x-kubernetes-list-type"] == "map" && schema?["x-kubernetes-list-map-keys"] is JsonArray keys
            ? [.. keys.Select(k => (string)k!)]
            : null;

    private static string EntryToken(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var k in keys)
        {
            key[k] = item[k]?.DeepClone();
        }

        return "k:" + key.ToJsonString();
    }

    private static string Join(string prefix, string token) => prefix.Length == 0 ? token : prefix + Separator + token;

    public static string[] Tokens(string path) => path.Split(Separator);

    /// <summary>The <c>fieldsV1</c> tree of <paramref name="paths"/>.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        var members = paths.ToList();
        foreach (var path in members)
        {
            var node = root;
            foreach (var token in Tokens(path))
            {
                if (node[token] is not JsonObject next)
                {
                    next = new JsonObject();
                    node[token] = next;
                }

                node = next;
            }
        }

        foreach (var path in members)
        {
            var node = Tokens(path).Aggregate(root, (n, t) => n[t]!.AsObject());
            if (node.Count > 0 && !node.ContainsKey("."))
            {
                node["."] = new JsonObject();
            }
        }

        return root;
    }

    /// <summary>The members recorded in a <c>fieldsV1</c> tree.</summary>
    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (fields is not null)
        {
            Read(fields, string.Empty, set);
        }

        return set;
    }

    private static void Read(JsonObject node, string prefix, HashSet<string> set)
    {
        foreach (var (token, child) in node)
        {
            if (token == "." || child is not JsonObject c)
            {
                continue;
            }

            var path = Join(prefix, token);
            if (c.Count == 0 || c.ContainsKey("."))
            {
                set.Add(path);
            }

            Read(c, path, set);
        }
    }

    /// <summary>The path as conflicts name it: <c>.status.nodes[nodeName="node-b"].ready</c>.</summary>
    public static string Display(string path)
    {
        var text = new StringBuilder();
        foreach (var token in Tokens(path))
        {
            if (token.StartsWith("f:", StringComparison.Ordinal))
            {
                text.Append('.').Append(token.AsSpan(2));
            }
            else if (token.StartsWith("k:", StringComparison.Ordinal))
            {
                var key = JsonNode.Parse(token[2..])!.AsObject();
                text.Append('[')
                    .Append(string.Join(",", key.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString() ?? "null"}")))
                    .Append(']');
            }
        }

        return text.ToString();
    }

    /// <summary>The value at <paramref name="path"/> in <paramref name="root"/>, and whether it exists.</summary>
    public static (bool Found, JsonNode? Value) Get(JsonNode? root, string path)
    {
        var current = root;
        foreach (var token in Tokens(path))
        {
            switch (current)
            {
                case JsonObject o when token.StartsWith("f:", StringComparison.Ordinal) && o.TryGetPropertyValue(token[2..], out var child):
                    current = child;
                    break;
                case JsonArray a when token.StartsWith("k:", StringComparison.Ordinal) && FindEntry(a, token) is { } index:
                    current = a[index];
                    break;
                default:
                    return (false, null);
            }
        }

        return (true, current);
    }

    /// <summary>Removes the field or list-map entry at <paramref name="path"/>; nothing if it is not there.</summary>
    public static void Remove(JsonNode? root, string path)
    {
        var tokens = Tokens(path);
        var (found, parent) = tokens.Length == 1 ? (true, root) : Get(root, string.Join(Separator, tokens[..^1]));
        if (!found)
        {
            return;
        }

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when last.StartsWith("f:", StringComparison.Ordinal):
                o.Remove(last[2..]);
                break;
            case JsonArray a when last.StartsWith("k:", StringComparison.Ordinal) && FindEntry(a, last) is { } index:
                a.RemoveAt(index);
                break;
        }
    }

    private static int? FindEntry(JsonArray array, string token)
    {
        var key = JsonNode.Parse(token[2..])!.AsObject();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject item && key.All(kv => JsonNode.DeepEquals(item[kv.Key], kv.Value)))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Merges an applied configuration into a live value: objects by field, list-maps by key, the rest replaced.</summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? applied, JsonObject? schema)
    {
        switch (applied)
        {
            case JsonObject appliedObject:
                var result = live is JsonObject liveObject ? liveObject.DeepClone().AsObject() : new JsonObject();
                foreach (var (name, value) in appliedObject)
                {
                    var childSchema = schema?["properties"]?[name] as JsonObject ?? schema?["additionalProperties"] as JsonObject;
                    result[name] = Merge(result[name], value, childSchema);
                }

                return result;
            case JsonArray appliedArray when ListMapKeys(schema) is { } keys:
                var list = live is JsonArray liveArray ? liveArray.DeepClone().AsArray() : [];
                foreach (var item in appliedArray.OfType<JsonObject>())
                {
                    var index = FindEntry(list, EntryToken(item, keys));
                    if (index is { } i)
                    {
                        list[i] = Merge(list[i], item, schema?["items"] as JsonObject);
                    }
                    else
                    {
                        list.Add(item.DeepClone());
                    }
                }

                return list;
            default:
                return applied?.DeepClone();
        }
    }

    public static bool SameValue(JsonNode? a, JsonNode? b) =>
        a is JsonValue va && b is JsonValue vb && va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number
            ? va.ToJsonString() == vb.ToJsonString() || va.GetValue<double>().Equals(vb.GetValue<double>())
            : JsonNode.DeepEquals(a, b);
}
