using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BandwidthOperator.Api.Schema;

/// <summary>
/// Validates an object against a CRD's structural <c>openAPIV3Schema</c>, for the subset of keywords
/// our CRDs use (<see cref="SupportedKeywords"/>; a test fails if a CRD uses another). Like the API
/// server with kubectl's strict field validation, unknown fields are errors. CEL rules are evaluated
/// only in the shapes <see cref="CelRuleSubset"/> knows; others are listed in <see cref="SkippedRules"/>.
/// </summary>
public sealed class StructuralSchemaValidator
{
    public static readonly IReadOnlySet<string> SupportedKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "description", "properties", "required", "items", "additionalProperties", "anyOf",
        "pattern", "minLength", "maxLength", "minimum", "maximum", "enum", "format", "nullable",
        "minItems", "maxItems",
        "x-kubernetes-int-or-string", "x-kubernetes-validations", "x-kubernetes-list-type",
        "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
    };

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly JsonObject _schema;
    private readonly List<string> _skippedRules = [];

    public StructuralSchemaValidator(JsonObject openApiV3Schema) => _schema = openApiV3Schema;

    /// <summary>CEL rules met during validation that <see cref="CelRuleSubset"/> could not evaluate.</summary>
    public IReadOnlyList<string> SkippedRules => _skippedRules;

    public IReadOnlyList<SchemaError> Validate(JsonNode? value)
    {
        var errors = new List<SchemaError>();
        Check(value, _schema, string.Empty, errors);
        return errors;
    }

    private void Check(JsonNode? value, JsonObject schema, string path, List<SchemaError> errors)
    {
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                errors.Add(new(path, "Invalid value: null: must not be null"));
            }

            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (!IsInteger(value) && !IsString(value))
            {
                errors.Add(new(path, $"Invalid value: \"{TypeName(value)}\": {path} in body must be of type integer,string: \"{TypeName(value)}\""));
                return;
            }
        }
        else if (schema["type"] is JsonNode typeNode)
        {
            var type = typeNode.GetValue<string>();
            if (!HasType(value, type))
            {
                errors.Add(new(path, $"Invalid value: \"{TypeName(value)}\": {path} in body must be of type {type}: \"{TypeName(value)}\""));
                return;
            }
        }

        if (schema["anyOf"] is JsonArray anyOf
            && !anyOf.OfType<JsonObject>().Any(branch => SubValidate(value, branch, path).Count == 0))
        {
            errors.Add(new(path, $"Invalid value: {Show(value)}: must match one of {anyOf.ToJsonString()}"));
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(new(path, $"Unsupported value: {Show(value)}: supported values: {string.Join(", ", allowed.Select(Show))}"));
        }

        if (IsString(value))
        {
            CheckString(value.GetValue<string>(), schema, path, errors);
        }
        else if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
        {
            CheckNumber(number, schema, path, errors);
        }
        else if (value is JsonObject obj)
        {
            CheckObject(obj, schema, path, errors);
        }
        else if (value is JsonArray array)
        {
            CheckArray(array, schema, path, errors);
        }

        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            foreach (var rule in rules.OfType<JsonObject>())
            {
                var text = rule["rule"]!.GetValue<string>();
                switch (CelRuleSubset.Evaluate(text, value))
                {
                    case null:
                        _skippedRules.Add($"{path}: {text}");
                        break;
                    case false:
                        var fieldPath = (string?)rule["fieldPath"];
                        var at = string.IsNullOrEmpty(fieldPath) ? path : Join(path, fieldPath.TrimStart('.'));
                        errors.Add(new(at, $"Invalid value: {(string?)rule["message"] ?? $"failed rule: {text}"}"));
                        break;
                }
            }
        }
    }

    private static void CheckString(string s, JsonObject schema, string path, List<SchemaError> errors)
    {
        var length = s.EnumerateRunes().Count();
        if (schema["minLength"] is JsonNode min && length < min.GetValue<int>())
        {
            errors.Add(new(path, $"Invalid value: \"{s}\": should be at least {min} chars long"));
        }

        if (schema["maxLength"] is JsonNode max && length > max.GetValue<int>())
        {
            errors.Add(new(path, $"Too long: may not be more than {max} bytes"));
        }

        if (schema["pattern"] is JsonNode pattern
            && !Regex.IsMatch(s, pattern.GetValue<string>(), RegexOptions.CultureInvariant, RegexTimeout))
        {
            errors.Add(new(path, $"Invalid value: \"{s}\": {path} in body should match '{pattern}'"));
        }

        if ((string?)schema["format"] == "date-time"
            && !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            errors.Add(new(path, $"Invalid value: \"{s}\": {path} in body must be of type date-time"));
        }
    }

    private static void CheckNumber(JsonValue number, JsonObject schema, string path, List<SchemaError> errors)
    {
        var d = number.GetValue<double>();
        if (schema["minimum"] is JsonNode min && d < min.GetValue<double>())
        {
            errors.Add(new(path, $"Invalid value: {Show(number)}: {path} in body should be greater than or equal to {min}"));
        }

        if (schema["maximum"] is JsonNode max && d > max.GetValue<double>())
        {
            errors.Add(new(path, $"Invalid value: {Show(number)}: {path} in body should be less than or equal to {max}"));
        }
    }

    private void CheckObject(JsonObject obj, JsonObject schema, string path, List<SchemaError> errors)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(n => !obj.ContainsKey(n)))
            {
                errors.Add(new(Join(path, name), "Required value"));
            }
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        if (properties is null && additional is null)
        {
            // An object schema with neither (only `metadata` here) is validated by the API server itself.
            return;
        }

        foreach (var (name, child) in obj)
        {
            var childPath = Join(path, name);
            if (properties?[name] is JsonObject childSchema)
            {
                Check(child, childSchema, childPath, errors);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Check(child, additionalSchema, childPath, errors);
            }
            else if (additional is JsonValue allow && allow.GetValue<bool>())
            {
                // allowed
            }
            else
            {
                errors.Add(new(childPath, "unknown field"));
            }
        }
    }

    private void CheckArray(JsonArray array, JsonObject schema, string path, List<SchemaError> errors)
    {
        if (schema["minItems"] is JsonNode min && array.Count < min.GetValue<int>())
        {
            errors.Add(new(path, $"Invalid value: must have at least {min} items"));
        }

        if (schema["maxItems"] is JsonNode max && array.Count > max.GetValue<int>())
        {
            errors.Add(new(path, $"Too many: {array.Count}: must have at most {max} items"));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{path}[{i}]", errors);
            }
        }

        switch ((string?)schema["x-kubernetes-list-type"])
        {
            case "map":
                var keys = schema["x-kubernetes-list-map-keys"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < array.Count; i++)
                {
                    var key = string.Join(",", keys.Select(k => array[i]?[k]?.ToJsonString() ?? "null"));
                    if (!seen.Add(key))
                    {
                        errors.Add(new($"{path}[{i}]", $"Duplicate value: {{{key}}}"));
                    }
                }

                break;
            case "set":
                for (var i = 1; i < array.Count; i++)
                {
                    if (array.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, array[i])))
                    {
                        errors.Add(new($"{path}[{i}]", $"Duplicate value: {Show(array[i])}"));
                    }
                }

                break;
        }
    }

    private List<SchemaError> SubValidate(JsonNode value, JsonObject schema, string path)
    {
        var errors = new List<SchemaError>();
        Check(value, schema, path, errors);
        return errors;
    }

    private static bool HasType(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => IsString(value),
        "integer" => IsInteger(value),
        "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "boolean" => value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        _ => throw new NotSupportedException($"schema type '{type}'"),
    };

    private static bool IsString(JsonNode value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static bool IsInteger(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && (v.TryGetValue<long>(out _) || v.GetValue<double>() % 1 == 0);

    /// <summary>The JSON type name the API server puts in type errors.</summary>
    private static string TypeName(JsonNode value) => value switch
    {
        JsonObject => "object",
        JsonArray => "array",
        _ when IsInteger(value) => "integer",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
