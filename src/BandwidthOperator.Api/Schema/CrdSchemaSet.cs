using System.Text.Json.Nodes;
using BandwidthOperator.Api.Manifests;
using YamlDotNet.RepresentationModel;

namespace BandwidthOperator.Api.Schema;

/// <summary>
/// The CRDs of crds/ (embedded in this assembly, so the shipped binary has them) and validation of an
/// object against the schema that serves its apiVersion and kind, as the API server does with
/// kubectl's strict field validation: unknown fields, types, patterns, enums and the CEL rules
/// <see cref="CelRuleSubset"/> knows.
/// </summary>
public sealed class CrdSchemaSet
{
    private static readonly Lazy<CrdSchemaSet> LazyEmbedded = new(LoadEmbedded);

    /// <summary>The fields of ObjectMeta a manifest may set; any other is an unknown field.</summary>
    private static readonly HashSet<string> MetadataFields = new(StringComparer.Ordinal)
    {
        "name", "namespace", "labels", "annotations", "generateName", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "finalizers", "ownerReferences",
        "managedFields", "selfLink",
    };

    private readonly Dictionary<(string ApiVersion, string Kind), (JsonObject Schema, bool ClusterScoped)> _served = [];

    public CrdSchemaSet(IEnumerable<JsonObject> crds)
    {
        ArgumentNullException.ThrowIfNull(crds);
        foreach (var given in crds)
        {
            // Values backed by JSON elements convert freely (maxLength read as an int).
            var crd = JsonNode.Parse(given.ToJsonString())!.AsObject();
            var spec = crd["spec"]!.AsObject();
            var group = (string)spec["group"]!;
            var kind = (string)spec["names"]!["kind"]!;
            var clusterScoped = (string?)spec["scope"] == "Cluster";
            foreach (var version in spec["versions"]!.AsArray().OfType<JsonObject>().Where(v => (bool?)v["served"] == true))
            {
                _served[($"{group}/{(string)version["name"]!}", kind)] = (version["schema"]!["openAPIV3Schema"]!.AsObject(), clusterScoped);
            }
        }
    }

    /// <summary>The CRDs built into this assembly from the repository's crds/.</summary>
    public static CrdSchemaSet Embedded => LazyEmbedded.Value;

    /// <summary>The (apiVersion, kind) pairs a CRD serves.</summary>
    public IEnumerable<(string ApiVersion, string Kind)> Served => _served.Keys;

    public bool Serves(string? apiVersion, string? kind) => _served.ContainsKey((apiVersion ?? string.Empty, kind ?? string.Empty));

    /// <summary>What the API server would refuse in <paramref name="obj"/>, by field path (<c>spec.inbound.floor</c>).</summary>
    public IReadOnlyList<SchemaError> Validate(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var kind = (string?)obj["kind"] ?? string.Empty;
        if (!_served.TryGetValue((apiVersion, kind), out var served))
        {
            return [new SchemaError("kind", $"no CRD serves {kind} in {apiVersion}")];
        }

        // Values backed by JSON elements convert freely (an integer read as a double for minimum).
        var copy = JsonNode.Parse(obj.ToJsonString())!.AsObject();

        // As the API server does, a null field (`device: ~`) is dropped before validation: it means "not set".
        DropNulls(copy);
        var errors = new List<SchemaError>();
        if (copy["metadata"] is JsonObject metadata)
        {
            if (string.IsNullOrEmpty((string?)metadata["name"]))
            {
                errors.Add(new("metadata.name", "Required value"));
            }

            if (served.ClusterScoped && metadata["namespace"] is not null)
            {
                errors.Add(new("metadata.namespace", $"Forbidden: {kind} is cluster-scoped"));
            }

            errors.AddRange(metadata.Where(kv => !MetadataFields.Contains(kv.Key)).Select(kv => new SchemaError($"metadata.{kv.Key}", "unknown field")));
        }
        else
        {
            errors.Add(new("metadata.name", "Required value"));
        }

        errors.AddRange(new StructuralSchemaValidator(served.Schema).Validate(copy));
        return errors;
    }

    private static void DropNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, child) in o)
                {
                    DropNulls(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    DropNulls(child);
                }

                break;
        }
    }

    private static CrdSchemaSet LoadEmbedded()
    {
        var assembly = typeof(CrdSchemaSet).Assembly;
        var crds = new List<JsonObject>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("crds/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var yaml = new YamlStream();
            yaml.Load(reader);
            crds.Add(ManifestReader.ToJson(yaml.Documents[0].RootNode)!.AsObject());
        }

        return crds.Count > 0 ? new CrdSchemaSet(crds) : throw new InvalidOperationException("no CRDs are embedded in BandwidthOperator.Api");
    }
}
