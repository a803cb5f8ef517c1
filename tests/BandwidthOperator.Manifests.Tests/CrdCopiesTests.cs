using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>
/// crds/ at the top is the source of truth and holds only CRDs, so `kubectl apply -f crds/` and
/// `kubectl delete -f crds/` (README) work. The chart ships copies in its crds/ (helm applies every
/// file there) and config/crd holds copies too (kustomize loads no file outside its folder).
/// </summary>
public sealed class CrdCopiesTests
{
    private static readonly string[] CrdFiles = ["bandwidthoperator.io_bridgenetworks.yaml", "bandwidthoperator.io_interfacebandwidths.yaml"];

    public static TheoryData<string, string> Copies() =>
        new()
        {
            { "charts/bandwidth-operator/crds", CrdFiles[0] },
            { "charts/bandwidth-operator/crds", CrdFiles[1] },
            { "config/crd", CrdFiles[0] },
            { "config/crd", CrdFiles[1] },
        };

    private static string[] YamlFiles(string directory) =>
        [.. Directory.GetFiles(directory).Select(Path.GetFileName).OfType<string>().Where(n => n != "kustomization.yaml").Order(StringComparer.Ordinal)];

    /// <summary>What `kubectl apply -f DIR` reads: every .json, .yaml and .yml file, each document an object it must know.</summary>
    [Fact]
    public void Crds_folder_holds_only_the_CRDs_and_nothing_kubectl_apply_f_would_refuse()
    {
        Directory.GetDirectories(RepositoryPaths.Crds).ShouldBeEmpty("kubectl apply -f crds/ does not recurse");
        Directory.GetFiles(RepositoryPaths.Crds).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(CrdFiles);
        foreach (var file in Directory.GetFiles(RepositoryPaths.Crds))
        {
            var docs = YamlDocuments.ParseFile(file);
            docs.ShouldNotBeEmpty(file);
            foreach (var doc in docs)
            {
                ((string?)doc["apiVersion"]).ShouldBe("apiextensions.k8s.io/v1", file);
                ((string?)doc["kind"]).ShouldBe("CustomResourceDefinition", file);
            }
        }
    }

    [Fact]
    public void Copies_have_the_same_files_and_nothing_else()
    {
        YamlFiles(Path.Combine(RepositoryPaths.Chart, "crds")).ShouldBe(CrdFiles, "helm applies every file in the chart's crds/");
        Directory.GetFiles(Path.Combine(RepositoryPaths.Chart, "crds")).Select(Path.GetFileName).ShouldNotContain("kustomization.yaml");
        YamlFiles(Path.Combine(RepositoryPaths.Config, "crd")).ShouldBe(CrdFiles);
        var kustomization = YamlDocuments.ParseFile(Path.Combine(RepositoryPaths.Config, "crd", "kustomization.yaml")).Single();
        kustomization["resources"]!.AsArray().Select(r => (string?)r).ShouldBe(CrdFiles);
    }

    [Theory]
    [MemberData(nameof(Copies))]
    public void Copy_is_byte_identical_to_the_top_level_crd(string folder, string fileName)
    {
        var source = File.ReadAllBytes(Path.Combine(RepositoryPaths.Crds, fileName));
        var copy = File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, folder, fileName));
        copy.SequenceEqual(source).ShouldBeTrue($"{folder}/{fileName} differs from crds/{fileName}: copy it (cp crds/{fileName} {folder}/)");
    }
}
