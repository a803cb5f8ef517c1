using System.Text.Json.Nodes;

namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>Rendered Kubernetes objects (kustomize or helm output), looked up by kind and name.</summary>
internal sealed class ManifestSet
{
    private ManifestSet(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    public static ManifestSet FromYaml(string yaml, string source) => new(YamlDocuments.Parse(yaml, source));

    public IEnumerable<ObjectKey> Keys => Objects.Select(ObjectKey.Of);

    public JsonObject Single(string kind, string name)
    {
        var matches = Objects.Where(o => Kind(o) == kind && Name(o) == name).ToList();
        matches.Count.ShouldBe(1, $"expected one {kind} {name}; rendered: {string.Join(", ", Keys)}");
        return matches[0];
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Kind(o) == kind);

    public ManifestSet Without(string kind) => new([.. Objects.Where(o => Kind(o) != kind)]);

    public static string Kind(JsonObject o) => (string?)o["kind"] ?? string.Empty;

    public static string Name(JsonObject o) => (string?)o["metadata"]?["name"] ?? string.Empty;

    public static string? Namespace(JsonObject o) => (string?)o["metadata"]?["namespace"];
}
