using System.Text.Json.Nodes;
using BandwidthOperator.Api.Schema;

namespace BandwidthOperator.Api.Tests.Schema;

/// <summary>The CRD schemas built into the binary are the ones in crds/, and they validate as the API server would.</summary>
public sealed class CrdSchemaSetTests
{
    [Fact]
    public void The_embedded_crds_serve_both_kinds()
    {
        CrdSchemaSet.Embedded.Served.ShouldBe(
            [("bandwidthoperator.io/v1alpha1", "BridgeNetwork"), ("bandwidthoperator.io/v1alpha1", "InterfaceBandwidth")],
            ignoreOrder: true);
    }

    [Fact]
    public void The_embedded_crds_are_the_files_in_crds()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "crds")))
        {
            dir = dir.Parent;
        }

        dir.ShouldNotBeNull("the repository's crds/ folder");
        var files = Directory.GetFiles(Path.Combine(dir.FullName, "crds"), "bandwidthoperator.io_*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var embedded = typeof(CrdSchemaSet).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("crds/", StringComparison.Ordinal)).Select(n => n["crds/".Length..]).Order(StringComparer.Ordinal).ToList();
        embedded.ShouldBe(files);
        foreach (var file in files)
        {
            using var stream = typeof(CrdSchemaSet).Assembly.GetManifestResourceStream("crds/" + file)!;
            using var reader = new StreamReader(stream);
            reader.ReadToEnd().ShouldBe(File.ReadAllText(Path.Combine(dir.FullName, "crds", file)));
        }
    }

    [Fact]
    public void Strict_validation_names_unknown_fields_types_and_patterns()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion": "bandwidthoperator.io/v1alpha1", "kind": "InterfaceBandwidth",
             "metadata": {"name": "vm-a", "namespace": "e2e"},
             "spec": {"network": "n", "nodeName": 5, "macAddress": "zz", "inbound": {"flor": "40M", "average": "fast"}}}
            """)!.AsObject();

        var errors = CrdSchemaSet.Embedded.Validate(obj).Select(e => e.Path).Distinct().Order(StringComparer.Ordinal).ToList();

        errors.ShouldBe(["spec.inbound.average", "spec.inbound.flor", "spec.macAddress", "spec.nodeName"]);
    }

    [Fact]
    public void A_valid_object_has_no_errors_and_nulls_mean_not_set()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion": "bandwidthoperator.io/v1alpha1", "kind": "BridgeNetwork",
             "metadata": {"name": "n"}, "spec": {"bridge": "br0", "nodeSelector": null, "inbound": {"average": "100M"}}}
            """)!.AsObject();

        CrdSchemaSet.Embedded.Validate(obj).ShouldBeEmpty();
    }
}
