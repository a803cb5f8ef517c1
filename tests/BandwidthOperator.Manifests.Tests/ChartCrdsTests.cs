using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>The chart ships the CRDs in its crds/ folder; crds/ at the top is the source of truth.</summary>
public sealed class ChartCrdsTests
{
    private static IReadOnlyList<string> CrdFileNames(string directory) =>
        [.. Directory.GetFiles(directory, "*.yaml")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n != "kustomization.yaml")
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void Chart_crds_are_the_same_files_as_the_top_level_crds()
    {
        var chartCrds = Path.Combine(RepositoryPaths.Chart, "crds");
        CrdFileNames(chartCrds).ShouldBe(CrdFileNames(RepositoryPaths.Crds));
        CrdFileNames(RepositoryPaths.Crds).ShouldBe(
            ["bandwidthoperator.io_bridgenetworks.yaml", "bandwidthoperator.io_interfacebandwidths.yaml"]);
        Directory.GetFiles(chartCrds).Select(Path.GetFileName).ShouldAllBe(
            n => n!.EndsWith(".yaml", StringComparison.Ordinal) && n != "kustomization.yaml",
            "helm applies every file in crds/");
    }

    [Theory]
    [InlineData("bandwidthoperator.io_bridgenetworks.yaml")]
    [InlineData("bandwidthoperator.io_interfacebandwidths.yaml")]
    public void Chart_crd_is_byte_identical_to_the_top_level_crd(string fileName)
    {
        var source = File.ReadAllBytes(Path.Combine(RepositoryPaths.Crds, fileName));
        var copy = File.ReadAllBytes(Path.Combine(RepositoryPaths.Chart, "crds", fileName));
        copy.SequenceEqual(source).ShouldBeTrue(
            $"charts/bandwidth-operator/crds/{fileName} differs from crds/{fileName}: copy it (cp crds/{fileName} charts/bandwidth-operator/crds/)");
    }
}
