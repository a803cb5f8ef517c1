using System.Text.Json.Nodes;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests.Schema;

/// <summary>The CRDs in crds/, and validation of an object against the one that serves its kind.</summary>
internal sealed class CrdCatalog
{
    private readonly Dictionary<(string ApiVersion, string Kind), (JsonObject Crd, JsonObject Schema)> _served = [];

    private CrdCatalog(IEnumerable<JsonObject> crds)
    {
        foreach (var crd in crds)
        {
            var spec = crd["spec"]!.AsObject();
            var group = (string)spec["group"]!;
            var kind = (string)spec["names"]!["kind"]!;
            foreach (var version in spec["versions"]!.AsArray().OfType<JsonObject>().Where(v => (bool?)v["served"] == true))
            {
                var schema = version["schema"]!["openAPIV3Schema"]!.AsObject();
                _served[($"{group}/{(string)version["name"]!}", kind)] = (crd, schema);
            }
        }
    }

    public static CrdCatalog FromRepository() =>
        new(Directory.GetFiles(RepositoryPaths.Crds, "bandwidthoperator.io_*.yaml").Order(StringComparer.Ordinal)
            .Select(YamlDocuments.ParseSingle));

    /// <summary>The errors the API server would report for <paramref name="obj"/>, and the CEL rules not evaluated.</summary>
    public (IReadOnlyList<SchemaError> Errors, IReadOnlyList<string> SkippedRules) Validate(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var kind = (string?)obj["kind"] ?? string.Empty;
        if (!_served.TryGetValue((apiVersion, kind), out var served))
        {
            return ([new SchemaError("kind", $"no CRD serves {kind} in {apiVersion}")], []);
        }

        var errors = new List<SchemaError>();
        var metadata = obj["metadata"] as JsonObject;
        if (string.IsNullOrEmpty((string?)metadata?["name"]))
        {
            errors.Add(new("metadata.name", "Required value"));
        }

        var scope = (string)served.Crd["spec"]!["scope"]!;
        if (scope == "Cluster" && metadata?["namespace"] is not null)
        {
            errors.Add(new("metadata.namespace", $"Forbidden: {kind} is cluster-scoped"));
        }

        var validator = new StructuralSchemaValidator(served.Schema);
        errors.AddRange(validator.Validate(obj));
        return (errors, validator.SkippedRules);
    }
}
