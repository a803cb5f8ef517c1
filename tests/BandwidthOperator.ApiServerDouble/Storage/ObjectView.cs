using System.Text.Json;
using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Storage;

/// <summary>What selectors look at in an object: namespace, name, labels and the selectable fields.</summary>
internal sealed record ObjectView(string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Fields)
{
    public static ObjectView Of(ResourceType type, JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var ns = (string?)metadata?["namespace"] ?? string.Empty;
        var name = (string?)metadata?["name"] ?? string.Empty;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata?["labels"] is JsonObject l)
        {
            foreach (var (k, v) in l)
            {
                labels[k] = v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : v?.ToJsonString() ?? string.Empty;
            }
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = name,
            ["metadata.namespace"] = ns,
        };
        foreach (var field in type.SelectableFields)
        {
            JsonNode? node = obj;
            foreach (var part in field.Split('.'))
            {
                node = node is JsonObject o ? o[part] : null;
            }

            fields[field] = node switch
            {
                null => string.Empty,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => node.ToJsonString(),
            };
        }

        return new ObjectView(ns, name, labels, fields);
    }
}
