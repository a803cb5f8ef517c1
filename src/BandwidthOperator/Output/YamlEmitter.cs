using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BandwidthOperator.Output;

/// <summary>Writes JSON documents as block-style YAML (strings quoted where YAML would read them otherwise).</summary>
internal static class YamlEmitter
{
    // Plain scalars a YAML 1.1 or 1.2 reader would not take as strings.
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "null", "~", "yes", "no", "on", "off", "y", "n" };

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode? node)
    {
        var sb = new StringBuilder();
        Emit(sb, node, 0, inSequence: false);
        return sb.ToString();
    }

    private static void Emit(StringBuilder sb, JsonNode? node, int indent, bool inSequence)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!(first && inSequence))
                    {
                        sb.Append(' ', indent);
                    }

                    first = false;
                    sb.Append(Scalar(key)).Append(':');
                    WriteValue(sb, value, indent);
                }

                break;
            case JsonArray arr when arr.Count > 0:
                foreach (var item in arr)
                {
                    sb.Append(' ', indent).Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        Emit(sb, item, indent + 2, inSequence: true);
                    }
                    else
                    {
                        sb.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                sb.Append(Scalar(node)).Append('\n');
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonNode? value, int indent)
    {
        if (value is JsonObject { Count: > 0 })
        {
            sb.Append('\n');
            Emit(sb, value, indent + 2, inSequence: false);
        }
        else if (value is JsonArray { Count: > 0 })
        {
            sb.Append('\n');
            Emit(sb, value, indent, inSequence: false);
        }
        else
        {
            sb.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Scalar(v.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    private static string Scalar(string s)
    {
        var plain = s.Length > 0
            && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1])
            && s.IndexOfAny([':', '#', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '\n']) < 0
            && !"-?".Contains(s[0], StringComparison.Ordinal)
            && !ReservedWords.Contains(s)
            && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return plain ? s : JsonSerializer.Serialize(s, QuoteOptions);
    }
}
