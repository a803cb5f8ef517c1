using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Schema;

/// <summary>
/// Drops fields a structural schema does not declare, as the API server prunes custom resources
/// (fieldValidation Warn or Ignore, the default for API clients), and names each one (<c>spec.foo</c>).
/// </summary>
public static class UnknownFieldPruner
{
    public static IReadOnlyList<string> Prune(JsonObject obj, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schema);
        var pruned = new List<string>();
        Walk(obj, schema, string.Empty, pruned);
        return pruned;
    }

    private static void Walk(JsonNode? value, JsonObject schema, string path, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject o:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                if (properties is null && additional is null)
                {
                    return;
                }

                foreach (var name in o.Select(kv => kv.Key).ToList())
                {
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (properties?[name] is JsonObject childSchema)
                    {
                        Walk(o[name], childSchema, childPath, pruned);
                    }
                    else if (additional is JsonObject additionalSchema)
                    {
                        Walk(o[name], additionalSchema, childPath, pruned);
                    }
                    else if (additional is not JsonValue allow || !allow.GetValue<bool>())
                    {
                        o.Remove(name);
                        pruned.Add(childPath);
                    }
                }

                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], items, $"{path}[{i}]", pruned);
                }

                break;
        }
    }
}
