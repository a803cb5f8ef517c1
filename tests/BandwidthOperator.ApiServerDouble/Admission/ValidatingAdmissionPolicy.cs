using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;

namespace BandwidthOperator.ApiServerDouble.Admission;

/// <summary>
/// A <c>ValidatingAdmissionPolicy</c> (admissionregistration.k8s.io/v1) evaluated the way kube-apiserver
/// does, with a real CEL interpreter (the <c>Cel</c> package): <c>matchConstraints.resourceRules</c>,
/// <c>matchConditions</c> (all must be true), <c>variables</c> (in order, as <c>variables.NAME</c>) and
/// <c>validations</c> (<c>expression</c>, <c>message</c>, <c>messageExpression</c>, <c>reason</c>).
/// <c>failurePolicy: Fail</c> turns an expression that cannot be evaluated into a denial. The denial's
/// shape follows transcripts 114 (no reason: 422 Invalid) and 116 (<c>reason: Forbidden</c>: 403).
/// Not modelled: params, <c>auditAnnotations</c>, <c>namespaceSelector</c>/<c>objectSelector</c>,
/// type checking before evaluation (the Kubernetes CEL environment's extra libraries are not present:
/// an expression using them fails here).
/// </summary>
public sealed class ValidatingAdmissionPolicy
{
    private static readonly CelEnvironment Cel = new(null, null);
    private readonly JsonArray _rules;
    private readonly List<(string Name, string Expression)> _conditions;
    private readonly List<(string Name, string Expression)> _variables;
    private readonly List<Validation> _validations;
    private readonly bool _failClosed;

    public ValidatingAdmissionPolicy(JsonObject policy, string? bindingName = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Name = (string?)policy["metadata"]?["name"] ?? throw new ArgumentException("the policy has no metadata.name", nameof(policy));
        BindingName = bindingName ?? Name;
        var spec = policy["spec"] as JsonObject ?? throw new ArgumentException($"policy {Name} has no spec", nameof(policy));
        _rules = spec["matchConstraints"]?["resourceRules"] as JsonArray ?? [];
        _conditions = Named(spec["matchConditions"] as JsonArray);
        _variables = Named(spec["variables"] as JsonArray);
        _validations = (spec["validations"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => new Validation((string)v["expression"]!, (string?)v["message"], (string?)v["messageExpression"], (string?)v["reason"]))
            .ToList();
        _failClosed = ((string?)spec["failurePolicy"] ?? "Fail") == "Fail";
    }

    public string Name { get; }

    public string BindingName { get; }

    /// <summary>Whether <paramref name="request"/> falls under the policy's resource rules and match conditions.</summary>
    public bool Matches(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MatchesRules(request) && Conditions(request) is null or true;
    }

    /// <summary>The denial, or <see langword="null"/> when the request is admitted (or not matched).</summary>
    public AdmissionDenial? Evaluate(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MatchesRules(request))
        {
            return null;
        }

        var activation = Activation(request);
        var matched = Conditions(request, activation);
        if (matched == false)
        {
            return null;
        }

        if (matched is null)
        {
            return _failClosed ? Deny("a match condition could not be evaluated", null) : null;
        }

        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        activation["variables"] = variables;
        foreach (var (name, expression) in _variables)
        {
            try
            {
                variables[name] = Cel.Program(expression, activation);
            }
#pragma warning disable CA1031 // a variable that cannot be evaluated fails the validations that use it
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }

        foreach (var validation in _validations)
        {
            object? result;
            try
            {
                result = Cel.Program(validation.Expression, activation);
            }
#pragma warning disable CA1031 // an evaluation error under failurePolicy Fail is a denial
            catch (Exception e)
            {
                if (_failClosed)
                {
                    return Deny($"expression '{validation.Expression}' resulted in error: {e.Message}", null);
                }

                continue;
            }
#pragma warning restore CA1031

            if (result is true)
            {
                continue;
            }

            return Deny(MessageOf(validation, activation), validation.Reason);
        }

        return null;
    }

    /// <summary>A JSON value as CEL sees it: objects are maps, arrays lists, integers int (long), other numbers double.</summary>
    public static object? CelValue(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => CelValue(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(CelValue).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetValue<long>(out var l) => l,
            JsonValueKind.Number when long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };

    private static List<(string Name, string Expression)> Named(JsonArray? items) =>
        (items ?? []).OfType<JsonObject>().Select(i => ((string)i["name"]!, (string)i["expression"]!)).ToList();

    private static bool Lists(JsonNode? list, string value) =>
        list is JsonArray a && a.Any(n => (string?)n is { } s && (s == "*" || s == value));

    private bool MatchesRules(AdmissionRequest r)
    {
        var resource = r.Subresource is null ? r.Resource : $"{r.Resource}/{r.Subresource}";
        return _rules.OfType<JsonObject>().Any(rule =>
            Lists(rule["apiGroups"], r.Group)
            && Lists(rule["apiVersions"], r.Version)
            && Lists(rule["operations"], r.Operation)
            && (Lists(rule["resources"], resource) || (r.Subresource is not null && Lists(rule["resources"], $"{r.Resource}/*"))));
    }

    private bool? Conditions(AdmissionRequest request, Dictionary<string, object?>? activation = null)
    {
        activation ??= Activation(request);
        foreach (var (_, expression) in _conditions)
        {
            try
            {
                if (Cel.Program(expression, activation) is not true)
                {
                    return false;
                }
            }
#pragma warning disable CA1031 // an error in a match condition is decided by failurePolicy
            catch (Exception)
            {
                return null;
            }
#pragma warning restore CA1031
        }

        return true;
    }

    private static Dictionary<string, object?> Activation(AdmissionRequest r)
    {
        var user = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["username"] = r.User.Username,
            ["uid"] = r.User.Uid,
            ["groups"] = r.User.Groups.Cast<object?>().ToList(),
            ["extra"] = r.User.Extra.ToDictionary(e => e.Key, e => (object?)e.Value.Cast<object?>().ToList(), StringComparer.Ordinal),
        };
        var request = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["operation"] = r.Operation,
            ["kind"] = new Dictionary<string, object?> { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = string.Empty },
            ["resource"] = new Dictionary<string, object?> { ["group"] = r.Group, ["version"] = r.Version, ["resource"] = r.Resource },
            ["subResource"] = r.Subresource ?? string.Empty,
            ["name"] = r.Name,
            ["namespace"] = r.Namespace ?? string.Empty,
            ["userInfo"] = user,
        };
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["request"] = request,
            ["object"] = CelValue(r.Object),
            ["oldObject"] = CelValue(r.OldObject),
        };
    }

    private static string MessageOf(Validation validation, Dictionary<string, object?> activation)
    {
        if (validation.MessageExpression is { } expression)
        {
            try
            {
                if (Cel.Program(expression, activation) is string { Length: > 0 } text)
                {
                    return text;
                }
            }
#pragma warning disable CA1031 // kube-apiserver falls back to message when messageExpression fails
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }

        return validation.Message ?? $"failed expression: {validation.Expression}";
    }

    private AdmissionDenial Deny(string message, string? reason) =>
        new(Name, BindingName, $"ValidatingAdmissionPolicy '{Name}' with binding '{BindingName}' denied request: {message}", reason == "Forbidden");

    private sealed record Validation(string Expression, string? Message, string? MessageExpression, string? Reason);
}
