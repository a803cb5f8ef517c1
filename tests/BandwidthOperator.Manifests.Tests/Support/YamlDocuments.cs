using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Schema;

namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>
/// Reads (multi-document) YAML into JSON nodes the way the API server sees it — the same reader the
/// API-server double uses (<see cref="YamlJson"/>).
/// </summary>
internal static class YamlDocuments
{
    public static IReadOnlyList<JsonObject> ParseFile(string path) => YamlJson.ParseFile(path);

    public static IReadOnlyList<JsonObject> Parse(string yaml, string source) => YamlJson.Parse(yaml, source);

    public static JsonObject ParseSingle(string path)
    {
        var documents = ParseFile(path);
        documents.Count.ShouldBe(1, $"{path} should hold exactly one document");
        return documents[0];
    }
}
