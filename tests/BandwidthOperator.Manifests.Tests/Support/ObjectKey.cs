using System.Text.Json.Nodes;

namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>Identity of a rendered object: kind, namespace (empty for cluster-scoped) and name.</summary>
internal sealed record ObjectKey(string Kind, string Namespace, string Name)
{
    public static ObjectKey Of(JsonObject o) =>
        new(ManifestSet.Kind(o), ManifestSet.Namespace(o) ?? string.Empty, ManifestSet.Name(o));

    public override string ToString() => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
