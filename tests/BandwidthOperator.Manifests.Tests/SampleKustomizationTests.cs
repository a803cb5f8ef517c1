using System.Text.Json.Nodes;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>
/// `kubectl apply -k config/samples` works on a fresh cluster (with the CRDs): every namespace the
/// rendered objects live in is created by the same render (or is <c>default</c>), every
/// InterfaceBandwidth names a BridgeNetwork of the render, and that network's namespaceSelector
/// admits the namespace. The same holds for config/default.
/// </summary>
public sealed class SampleKustomizationTests
{
    [Theory]
    [InlineData("samples")]
    [InlineData("default")]
    public void Every_namespace_the_render_uses_is_created_by_it(string folder)
    {
        var rendered = ManifestSet.FromYaml(Kubectl.Kustomize(Path.Combine(RepositoryPaths.Config, folder)).StandardOutput, "config/" + folder);
        var created = rendered.OfKind("Namespace").Select(ManifestSet.Name).Append("default").ToHashSet(StringComparer.Ordinal);

        var used = rendered.Objects.Select(ManifestSet.Namespace).OfType<string>().Distinct().ToList();

        used.ShouldNotBeEmpty($"config/{folder} renders namespaced objects");
        foreach (var o in rendered.Objects.Where(o => ManifestSet.Namespace(o) is not null))
        {
            created.ShouldContain(ManifestSet.Namespace(o)!, $"{ManifestSet.Kind(o)}/{ManifestSet.Name(o)} lives in a namespace config/{folder} does not create");
        }
    }

    [Fact]
    public void Sample_interfaces_name_a_sample_network_that_admits_their_namespace()
    {
        var rendered = ManifestSet.FromYaml(Kubectl.Kustomize(RepositoryPaths.Samples).StandardOutput, "config/samples");
        var interfaces = rendered.OfKind("InterfaceBandwidth").ToList();
        interfaces.ShouldNotBeEmpty();
        foreach (var ibw in interfaces)
        {
            var ns = ManifestSet.Namespace(ibw) ?? "default";
            var network = rendered.Single("BridgeNetwork", (string)ibw["spec"]!["network"]!);
            var labels = rendered.Single("Namespace", ns)["metadata"]?["labels"]?.AsObject() ?? [];
            if (network["spec"]?["namespaceSelector"] is JsonObject selector)
            {
                Selects(selector, labels).ShouldBeTrue($"BridgeNetwork {ManifestSet.Name(network)}'s namespaceSelector does not admit namespace {ns} ({labels.ToJsonString()})");
            }
        }
    }

    /// <summary>A label selector (matchLabels; matchExpressions In, NotIn, Exists, DoesNotExist) against labels.</summary>
    private static bool Selects(JsonObject selector, JsonObject labels)
    {
        string? Label(string key) => labels.TryGetPropertyValue(key, out var v) ? (string?)v : null;
        foreach (var (key, value) in selector["matchLabels"]?.AsObject() ?? [])
        {
            if (Label(key) != (string?)value)
            {
                return false;
            }
        }

        foreach (var e in selector["matchExpressions"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var key = (string)e["key"]!;
            var values = e["values"]?.AsArray().Select(v => (string?)v).ToList() ?? [];
            var ok = (string?)e["operator"] switch
            {
                "Exists" => labels.ContainsKey(key),
                "DoesNotExist" => !labels.ContainsKey(key),
                "In" => Label(key) is { } v && values.Contains(v),
                "NotIn" => Label(key) is not { } w || !values.Contains(w),
                var op => throw new InvalidOperationException($"unknown operator {op}"),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
