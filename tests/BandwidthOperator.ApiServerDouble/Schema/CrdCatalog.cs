using BandwidthOperator.Api.Schema;
using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Schema;

/// <summary>The CRDs in crds/, and validation of an object against the one that serves its kind.</summary>
public sealed class CrdCatalog
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

    /// <summary>The CRDs in the repository's <c>crds/</c>.</summary>
    public static CrdCatalog FromRepository() => FromDirectory(BandwidthOperator.Testing.RepositoryRoot.Combine("crds"));

    /// <summary>Every <c>bandwidthoperator.io_*.yaml</c> CRD in <paramref name="directory"/>.</summary>
    public static CrdCatalog FromDirectory(string directory) =>
        new(Directory.GetFiles(directory, "bandwidthoperator.io_*.yaml").Order(StringComparer.Ordinal)
            .Select(path => YamlJson.ParseFile(path).Single()));

    /// <summary>The CRD and the <c>openAPIV3Schema</c> that serve <paramref name="kind"/> in <paramref name="apiVersion"/>.</summary>
    public bool TryGetServed(string apiVersion, string kind, out JsonObject crd, out JsonObject schema)
    {
        var found = _served.TryGetValue((apiVersion, kind), out var served);
        crd = served.Crd!;
        schema = served.Schema!;
        return found;
    }

    /// <summary>The CRDs, each once.</summary>
    public IEnumerable<JsonObject> Crds => _served.Values.Select(v => v.Crd).Distinct();

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
