using BandwidthOperator.Api.Manifests;

namespace BandwidthOperator.Api.Tests.Manifests;

public sealed class ManifestReaderTests : IDisposable
{
    private const string Both = """
        apiVersion: bandwidthoperator.io/v1alpha1
        kind: BridgeNetwork
        metadata: {name: tenant-net}
        spec:
          bridge: br-tenant
          inbound:
            average: 1000000
            burst: 1Mi
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: unrelated}
        ---
        apiVersion: bandwidthoperator.io/v1alpha1
        kind: InterfaceBandwidth
        metadata:
          name: vm-a-net1
          namespace: tenant-a
        spec:
          network: tenant-net
          nodeName: node-a
          macAddress: "52:54:00:6b:3c:01"
          device: vnet3
          inbound: {floor: 1G, average: 2G, peak: 4G, burst: 256Ki}
          outbound: {average: 1e6}
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "manifest-reader-" + Guid.NewGuid().ToString("N"));

    public ManifestReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Multi_document_yaml_yields_both_kinds()
    {
        var set = ManifestReader.ReadText(Both, "both.yaml");

        set.Networks.Count.ShouldBe(1);
        var bn = set.Networks[0];
        bn.Metadata.Name.ShouldBe("tenant-net");
        bn.Spec.Bridge.ShouldBe("br-tenant");
        bn.Spec.Inbound!.Burst.ShouldBe("1Mi");

        set.Interfaces.Count.ShouldBe(1);
        var ibw = set.Interfaces[0];
        ibw.Metadata.Name.ShouldBe("vm-a-net1");
        ibw.Metadata.NamespaceProperty.ShouldBe("tenant-a");
        ibw.Spec.Network.ShouldBe("tenant-net");
        ibw.Spec.NodeName.ShouldBe("node-a");
        ibw.Spec.MacAddress.ShouldBe("52:54:00:6b:3c:01");
        ibw.Spec.Device.ShouldBe("vnet3");
        ibw.Spec.Inbound!.Floor.ShouldBe("1G");
        ibw.Spec.Inbound.Average.ShouldBe("2G");
        ibw.Spec.Inbound.Peak.ShouldBe("4G");
        ibw.Spec.Inbound.Burst.ShouldBe("256Ki");
        ibw.Spec.Outbound!.Average.ShouldBe("1e6");
    }

    [Fact]
    public void Plain_number_is_read_as_a_quantity() =>
        ManifestReader.ReadText(Both).Networks[0].Spec.Inbound!.Average.ShouldBe("1000000");

    [Fact]
    public void Other_kinds_are_skipped_and_listed_with_their_line()
    {
        var set = ManifestReader.ReadText(Both, "both.yaml");
        set.Skipped.Count.ShouldBe(1);
        set.Skipped[0].ShouldStartWith("both.yaml:10: ConfigMap unrelated (v1)");
    }

    [Fact]
    public void Our_kind_with_another_api_version_is_skipped()
    {
        var set = ManifestReader.ReadText("apiVersion: bandwidthoperator.io/v1\nkind: BridgeNetwork\nmetadata: {name: x}\n");
        set.Networks.ShouldBeEmpty();
        set.Skipped.Single().ShouldContain("BridgeNetwork x (bandwidthoperator.io/v1)");
    }

    [Fact]
    public void List_kind_is_unpacked()
    {
        var set = ManifestReader.ReadText("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: bandwidthoperator.io/v1alpha1
              kind: BridgeNetwork
              metadata: {name: n1}
              spec: {bridge: br1}
            - apiVersion: bandwidthoperator.io/v1alpha1
              kind: InterfaceBandwidth
              metadata: {name: i1, namespace: ns}
              spec: {network: n1, nodeName: node-a, macAddress: "02:00:00:00:00:01"}
            - apiVersion: v1
              kind: Secret
              metadata: {name: s}
            """);
        set.Networks.Single().Metadata.Name.ShouldBe("n1");
        set.Interfaces.Single().Metadata.Name.ShouldBe("i1");
        set.Skipped.Single().ShouldContain("Secret s");
    }

    [Fact]
    public void Typed_list_kind_is_unpacked()
    {
        var set = ManifestReader.ReadText("""
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: BridgeNetworkList
            items:
            - {apiVersion: bandwidthoperator.io/v1alpha1, kind: BridgeNetwork, metadata: {name: a}, spec: {bridge: br-a}}
            - {apiVersion: bandwidthoperator.io/v1alpha1, kind: BridgeNetwork, metadata: {name: b}, spec: {bridge: br-b}}
            """);
        set.Networks.Select(n => n.Metadata.Name).ShouldBe(["a", "b"]);
    }

    [Fact]
    public void Empty_documents_are_ignored()
    {
        var set = ManifestReader.ReadText("---\n---\n# only a comment\n---\n");
        set.Networks.ShouldBeEmpty();
        set.Interfaces.ShouldBeEmpty();
        set.Skipped.ShouldBeEmpty();
    }

    [Fact]
    public void Quoted_number_stays_a_string_and_null_stays_null()
    {
        var set = ManifestReader.ReadText("""
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: InterfaceBandwidth
            metadata: {name: i1, namespace: ns}
            spec:
              network: n
              nodeName: node-a
              macAddress: "02:00:00:00:00:01"
              device: ~
              inbound: {floor: "100", average: null}
            """);
        var ibw = set.Interfaces.Single();
        ibw.Spec.Device.ShouldBeNull();
        ibw.Spec.Inbound!.Floor.ShouldBe("100");
        ibw.Spec.Inbound.Average.ShouldBeNull();
    }

    [Fact]
    public void Invalid_yaml_reports_file_and_line()
    {
        var text = "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata:\n  name: n1\n bad: indentation\n";
        var e = Should.Throw<ManifestException>(() => ManifestReader.ReadText(text, "bad.yaml"));
        e.Message.ShouldStartWith("bad.yaml:5: not valid YAML: ");
    }

    [Fact]
    public void Unclosed_flow_sequence_reports_file_and_line()
    {
        var text = "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata:\n  name: [unclosed\nspec: {}\n";
        var e = Should.Throw<ManifestException>(() => ManifestReader.ReadText(text, "bad.yaml"));
        e.Message.ShouldMatch(@"^bad\.yaml:\d+: not valid YAML: ");
    }

    [Fact]
    public void Document_that_is_not_a_mapping_is_refused_with_its_line()
    {
        var e = Should.Throw<ManifestException>(() => ManifestReader.ReadText("apiVersion: v1\nkind: X\n---\n- a\n- b\n", "seq.yaml"));
        e.Message.ShouldBe("seq.yaml:4: a manifest document must be a mapping");
    }

    [Fact]
    public void Wrong_type_in_a_field_is_refused_naming_the_object_line_and_field()
    {
        var text = "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {name: n1}\nspec: {bridge: [a, b]}\n";
        var set = ManifestReader.ReadText(text, "t.yaml");
        set.Networks.ShouldBeEmpty();
        set.Problems.Single().ToString().ShouldStartWith("t.yaml:4: BridgeNetwork n1: spec.bridge: Invalid value: \"array\"");
    }

    [Fact]
    public void Quantity_that_is_a_mapping_is_refused()
    {
        var text = "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {name: n1}\nspec: {bridge: br, inbound: {average: {a: 1}}}\n";
        var set = ManifestReader.ReadText(text, "t.yaml");
        set.Networks.ShouldBeEmpty();
        set.Problems.Select(p => p.Path).ShouldContain("spec.inbound.average");
    }

    [Fact]
    public void Unknown_field_is_refused_with_file_line_and_field_path()
    {
        var text = """
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: InterfaceBandwidth
            metadata: {name: vm-a, namespace: e2e}
            spec:
              network: n
              nodeName: lab
              macAddress: "52:54:00:00:00:01"
              inbound: {flor: 40M}
            """;
        var set = ManifestReader.ReadText(text, "vm.yaml");
        set.Interfaces.ShouldBeEmpty();
        set.Problems.Single().ToString().ShouldBe("vm.yaml:8: InterfaceBandwidth e2e/vm-a: spec.inbound.flor: unknown field");
    }

    [Theory]
    [InlineData("nodename: lab", "spec.nodename", "unknown field")]
    [InlineData("nodeName: 5", "spec.nodeName", "must be of type string")]
    [InlineData("device: eth0\n  extra: {a: 1}", "spec.extra", "unknown field")]
    public void Schema_errors_name_the_field(string line, string path, string message)
    {
        var text = $"apiVersion: bandwidthoperator.io/v1alpha1\nkind: InterfaceBandwidth\nmetadata: {{name: vm-a, namespace: e2e}}\nspec:\n  network: n\n  macAddress: \"52:54:00:00:00:01\"\n  {line}\n";
        var problems = ManifestReader.ReadText(text, "x.yaml").Problems;
        problems.ShouldContain(p => p.Path == path && p.Message.Contains(message, StringComparison.Ordinal) && p.Line >= 7, string.Join("\n", problems));
    }

    [Fact]
    public void A_rate_spelled_as_tc_writes_it_suggests_the_quantity()
    {
        var text = "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {name: n1}\nspec:\n  bridge: br0\n  inbound: {average: 100mbit}\n";
        ManifestReader.ReadText(text, "n.yaml").Problems.Single().ToString()
            .ShouldBe("n.yaml:6: BridgeNetwork n1: spec.inbound.average: Invalid value: \"100mbit\": not a quantity; rates are Kubernetes quantities in bits per second: write 100M");
    }

    [Fact]
    public void Unknown_metadata_field_is_refused() =>
        ManifestReader.ReadText("apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {name: n1, nmae: x}\nspec: {bridge: br0}\n", "m.yaml")
            .Problems.Single().Path.ShouldBe("metadata.nmae");

    [Fact]
    public void A_typo_in_our_kind_is_skipped_with_a_suggestion() =>
        ManifestReader.ReadText("apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetworks\nmetadata: {name: n1}\n", "k.yaml")
            .Skipped.Single().ShouldBe("k.yaml:1: BridgeNetworks n1 (bandwidthoperator.io/v1alpha1): bandwidthoperator.io has no kind BridgeNetworks (did you mean BridgeNetwork?)");

    [Fact]
    public void Empty_files_and_folders_are_listed()
    {
        ManifestReader.ReadText("# nothing\n", "e.yaml").Empty.ShouldBe(["e.yaml: no manifest in this file"]);
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        ManifestReader.ReadPath(empty).Empty.Single().ShouldContain("no *.yaml, *.yml or *.json file");
    }

    [Fact]
    public void Duplicate_key_is_refused_as_a_manifest_error()
    {
        var text = "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {name: n1}\nspec: {bridge: br1, bridge: br2}\n";
        var e = Should.Throw<ManifestException>(() => ManifestReader.ReadText(text, "dup.yaml"));
        e.Message.ShouldStartWith("dup.yaml:");
    }

    [Fact]
    public void Non_string_kind_is_a_manifest_error() =>
        Should.Throw<ManifestException>(() => ManifestReader.ReadText("apiVersion: v1\nkind: 5\n", "k.yaml")).Message.ShouldStartWith("k.yaml:1");

    [Fact]
    public void Complex_key_is_a_manifest_error() =>
        Should.Throw<ManifestException>(() => ManifestReader.ReadText("? {a: b}\n: c\n", "k.yaml")).Message.ShouldStartWith("k.yaml:");

    [Fact]
    public void Directory_is_read_in_name_order_and_kustomization_is_skipped()
    {
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), Net("second", "br2"));
        File.WriteAllText(Path.Combine(_dir, "a.yml"), Net("first", "br1"));
        File.WriteAllText(Path.Combine(_dir, "c.json"), """{"apiVersion": "bandwidthoperator.io/v1alpha1", "kind": "BridgeNetwork", "metadata": {"name": "third"}, "spec": {"bridge": "br3", "inbound": {"average": 5000000}}}""");
        File.WriteAllText(Path.Combine(_dir, "kustomization.yaml"), "resources: [a.yml]\n");
        File.WriteAllText(Path.Combine(_dir, "README.md"), "not yaml: [");
        File.WriteAllText(Path.Combine(_dir, "Z.yaml"), Net("upper", "brZ"));

        var set = ManifestReader.ReadPath(_dir);

        set.Networks.Select(n => n.Metadata.Name).ShouldBe(["upper", "first", "second", "third"]);
        set.Networks[3].Spec.Inbound!.Average.ShouldBe("5000000");
        set.Skipped.ShouldBeEmpty();
    }

    [Fact]
    public void Single_file_is_read_and_errors_name_it()
    {
        var file = Path.Combine(_dir, "one.yaml");
        File.WriteAllText(file, "kind: BridgeNetwork\n  bad: indentation\n");
        Should.Throw<ManifestException>(() => ManifestReader.ReadPath(file)).Message.ShouldStartWith(file + ":");
    }

    [Fact]
    public void Missing_path_is_reported()
    {
        var path = Path.Combine(_dir, "nope");
        Should.Throw<ManifestException>(() => ManifestReader.ReadPath(path)).Message.ShouldBe(path + ": no such file or directory");
    }

    private static string Net(string name, string bridge) =>
        $"apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {{name: {name}}}\nspec: {{bridge: {bridge}}}\n";
}
