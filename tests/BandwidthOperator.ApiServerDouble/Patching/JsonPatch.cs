using System.Globalization;
using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over JSON pointers.</summary>
internal static class JsonPatch
{
    /// <summary>Applies <paramref name="operations"/> to a copy of <paramref name="document"/>; a failed op throws <see cref="JsonPatchException"/>.</summary>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["r"] = document.DeepClone() };
        foreach (var op in operations)
        {
            if (op is not JsonObject o)
            {
                throw new JsonPatchException("patch operation is not an object");
            }

            var kind = (string?)o["op"] ?? throw new JsonPatchException("missing op");
            var path = (string?)o["path"] ?? throw new JsonPatchException("missing path");
            switch (kind)
            {
                case "add":
                    Add(root, path, o["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, o["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Get(root, (string?)o["from"] ?? throw new JsonPatchException("missing from"));
                    Remove(root, (string)o["from"]!);
                    Add(root, path, moved?.DeepClone());
                    break;
                case "copy":
                    Add(root, path, Get(root, (string?)o["from"] ?? throw new JsonPatchException("missing from"))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), o["value"]))
                    {
                        throw new JsonPatchException($"testing value {path} failed");
                    }

                    break;
                default:
                    throw new JsonPatchException($"unexpected kind of patch operation: {kind}");
            }
        }

        return root["r"]!;
    }

    private static List<string> Tokens(string path)
    {
        if (path.Length > 0 && path[0] != '/')
        {
            throw new JsonPatchException($"invalid JSON pointer: {path}");
        }

        var tokens = new List<string> { "r" };
        if (path.Length > 0)
        {
            tokens.AddRange(path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));
        }

        return tokens;
    }

    private static (JsonNode Parent, string Last) Parent(JsonObject root, string path)
    {
        var tokens = Tokens(path);
        JsonNode current = root;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            current = Child(current, token) ?? throw new JsonPatchException($"path {path} does not exist");
        }

        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : null,
        JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(last, out var v) => v,
            JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
            _ => throw new JsonPatchException($"path {path} does not exist"),
        };
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new JsonPatchException($"cannot add at {path}");
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new JsonPatchException($"path {path} does not exist");
        }
    }
}
