using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>The chart README and the root README's install line say what the chart really renders.</summary>
public sealed partial class ChartReadmeTests
{
    private static string ChartReadme => File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "README.md"));

    private static string RootReadme => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

    [Theory]
    [InlineData("bandwidth-operator-agent")]
    [InlineData("bandwidth-operator-agent-metrics-auth")]
    [InlineData("bandwidth-operator-viewer")]
    [InlineData("bandwidth-operator-editor")]
    public void The_rbac_the_readme_lists_is_the_rendered_rbac(string role)
    {
        var match = RbacBlock().Matches(ChartReadme).SingleOrDefault(m => m.Groups["role"].Value == role);
        match.ShouldNotBeNull($"the chart README has no <!-- rbac: {role} --> block");
        var documented = match.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(line =>
            {
                var colon = line.LastIndexOf(':');
                return line[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries).Select(verb => line[..(colon + 1)] + verb);
            })
            .ToList();
        var rendered = HelmChartTests.Render("--set", "metrics.secure=true").Single("ClusterRole", role);
        documented.ShouldBe(RbacRules.Grants(rendered), ignoreOrder: true);
    }

    [Fact]
    public void Every_value_is_in_the_readme_table()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.schema.json")))!.AsObject();
        var missing = Leaves(schema, string.Empty).Where(v => !ChartReadme.Contains($"| `{v}` |", StringComparison.Ordinal)).ToList();
        missing.ShouldBeEmpty("values the chart README's table does not describe");
    }

    [Fact]
    public void The_install_lines_label_the_namespace_for_pod_security_before_helm_install()
    {
        foreach (var (name, text) in new[] { ("README.md", RootReadme), ("charts/bandwidth-operator/README.md", ChartReadme) })
        {
            var label = text.IndexOf("kubectl label namespace bandwidth-operator-system pod-security.kubernetes.io/enforce=privileged", StringComparison.Ordinal);
            var install = text.IndexOf("helm install bandwidth-operator charts/bandwidth-operator", StringComparison.Ordinal);
            label.ShouldBeGreaterThan(0, $"{name} labels the namespace");
            install.ShouldBeGreaterThan(label, $"{name} labels the namespace before helm installs into it");
        }
    }

    private static IEnumerable<string> Leaves(JsonObject schema, string prefix)
    {
        foreach (var (key, value) in schema["properties"]!.AsObject())
        {
            if (key == "global")
            {
                continue;
            }

            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value!["properties"] is JsonObject && key is not ("resources" or "affinity"))
            {
                foreach (var leaf in Leaves(value.AsObject(), path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    [GeneratedRegex(@"<!-- rbac: (?<role>[a-z-]+) -->\s*```\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex RbacBlock();
}
