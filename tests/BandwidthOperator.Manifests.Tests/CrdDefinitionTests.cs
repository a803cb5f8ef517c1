using BandwidthOperator.Api.Schema;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Schema;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>The CRDs have the names, version, subresources, columns and schema shape that DESIGN.md §2 and the agent rely on.</summary>
public sealed class CrdDefinitionTests
{
    private static JsonObject Crd(string plural) => YamlDocuments.ParseSingle(RepositoryPaths.CrdFile(plural));

    private static JsonObject Version(JsonObject crd) => crd["spec"]!["versions"]!.AsArray().OfType<JsonObject>().Single();

    private static JsonObject Schema(JsonObject crd) => Version(crd)["schema"]!["openAPIV3Schema"]!.AsObject();

    private static JsonObject At(JsonObject schema, params string[] path) =>
        path.Aggregate(schema, (node, name) => name == "[]" ? node["items"]!.AsObject() : node["properties"]![name]!.AsObject());

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => (string)n!)];

    [Theory]
    [InlineData("bridgenetworks", "BridgeNetwork", "bridgenetwork", "bn", "Cluster")]
    [InlineData("interfacebandwidths", "InterfaceBandwidth", "interfacebandwidth", "ibw", "Namespaced")]
    public void Crd_names_group_and_version(string plural, string kind, string singular, string shortName, string scope)
    {
        var crd = Crd(plural);
        ((string?)crd["apiVersion"]).ShouldBe("apiextensions.k8s.io/v1");
        ((string?)crd["kind"]).ShouldBe("CustomResourceDefinition");
        ((string?)crd["metadata"]!["name"]).ShouldBe($"{plural}.bandwidthoperator.io");
        var spec = crd["spec"]!;
        ((string?)spec["group"]).ShouldBe("bandwidthoperator.io");
        ((string?)spec["scope"]).ShouldBe(scope);
        var names = spec["names"]!;
        ((string?)names["plural"]).ShouldBe(plural);
        ((string?)names["singular"]).ShouldBe(singular);
        ((string?)names["kind"]).ShouldBe(kind);
        ((string?)names["listKind"]).ShouldBe($"{kind}List");
        Strings(names["shortNames"]).ShouldBe([shortName]);
        Strings(names["categories"]).ShouldBe(["bandwidth"]);

        var version = Version(crd);
        ((string?)version["name"]).ShouldBe("v1alpha1");
        ((bool?)version["served"]).ShouldBe(true);
        ((bool?)version["storage"]).ShouldBe(true);
        version["subresources"]!["status"].ShouldBeOfType<JsonObject>();
    }

    [Theory]
    [InlineData("bridgenetworks", "Bridge,Average,Age")]
    [InlineData("interfacebandwidths", "Network,Target,Node,RunsOn,MAC,Floor,ClassID,Admitted,Ready,Age")]
    public void Printer_columns(string plural, string columns)
    {
        var printed = Version(Crd(plural))["additionalPrinterColumns"]!.AsArray().OfType<JsonObject>().ToList();
        printed.Select(c => (string)c["name"]!).ShouldBe(columns.Split(','));
        var schema = Schema(Crd(plural));
        foreach (var column in printed.Where(c => (string)c["name"]! != "Age"))
        {
            // Every column's path must exist in the schema (kubectl prints nothing otherwise).
            var path = ((string)column["jsonPath"]!).Split('[')[0].TrimStart('.').Split('.');
            Should.NotThrow(() => At(schema, path), $"column {column["name"]} points at .{string.Join('.', path)}");
        }
    }

    [Fact]
    public void InterfaceBandwidth_is_selectable_by_node_name()
    {
        var selectable = Version(Crd("interfacebandwidths"))["selectableFields"]!.AsArray();
        selectable.Select(s => (string?)s!["jsonPath"]).ShouldBe([".spec.nodeName"]);
    }

    [Fact]
    public void InterfaceBandwidth_spec_requires_network_and_node_and_mac_or_a_target_and_has_design_fields()
    {
        var spec = At(Schema(Crd("interfacebandwidths")), "spec");
        Strings(spec["required"]).ShouldBe(["network"]);
        spec["x-kubernetes-validations"]!.AsArray().Select(r => (string?)r!["rule"]).ShouldBe(
            ["has(self.target) != has(self.nodeName)", "has(self.target) != has(self.macAddress)", "!has(self.target) || !has(self.device)"]);
        spec["properties"]!.AsObject().Select(p => p.Key)
            .ShouldBe(["network", "nodeName", "macAddress", "target", "device", "inbound", "outbound"], ignoreOrder: true);
        Strings(At(spec, "target")["required"]).ShouldBe(["kind", "name", "interface"]);
        Strings(At(At(spec, "target"), "kind")["enum"]).ShouldBe(["VirtualMachineInstance", "Pod"]);
        At(spec, "inbound")["properties"]!.AsObject().Select(p => p.Key).ShouldBe(["floor", "average", "peak", "burst"], ignoreOrder: true);
        At(spec, "outbound")["properties"]!.AsObject().Select(p => p.Key).ShouldBe(["floor", "average", "peak", "burst"], ignoreOrder: true, "outbound floors are carved from the network's outbound.average");
    }

    [Fact]
    public void BridgeNetwork_spec_requires_bridge_and_has_design_fields()
    {
        var spec = At(Schema(Crd("bridgenetworks")), "spec");
        Strings(spec["required"]).ShouldBe(["bridge"]);
        spec["properties"]!.AsObject().Select(p => p.Key)
            .ShouldBe(["bridge", "nodeSelector", "namespaceSelector", "rawMacNamespaceSelector", "inbound", "outbound", "ports"], ignoreOrder: true);
        At(spec, "inbound")["properties"]!.AsObject().Select(p => p.Key).ShouldBe(["average", "burst"], ignoreOrder: true, "no network-level peak (DESIGN.md §2)");
    }

    [Fact]
    public void BridgeNetwork_status_nodes_is_a_map_keyed_by_node_name_with_the_leaf_qdisc()
    {
        var nodes = At(Schema(Crd("bridgenetworks")), "status", "nodes");
        ((string?)nodes["x-kubernetes-list-type"]).ShouldBe("map");
        Strings(nodes["x-kubernetes-list-map-keys"]).ShouldBe(["nodeName"]);
        var item = At(nodes, "[]");
        Strings(item["required"]).ShouldContain("nodeName", "a list-map key must be required");
        item["properties"]!.AsObject().Select(p => p.Key)
            .ShouldBe(["nodeName", "ready", "floorSum", "interfaces", "leafQdisc", "ports", "message"], ignoreOrder: true);
        ((string?)At(item, "leafQdisc")["type"]).ShouldBe("string");
    }

    [Theory]
    [InlineData("bridgenetworks")]
    [InlineData("interfacebandwidths")]
    public void Status_conditions_are_a_map_keyed_by_type(string plural)
    {
        var conditions = At(Schema(Crd(plural)), "status", "conditions");
        ((string?)conditions["x-kubernetes-list-type"]).ShouldBe("map");
        Strings(conditions["x-kubernetes-list-map-keys"]).ShouldBe(["type"]);
        Strings(At(conditions, "[]")["required"]).ShouldContain("type");
        Strings(At(conditions, "[]", "status")["enum"]).ShouldBe(["True", "False", "Unknown"]);
        ((string?)At(Schema(Crd(plural)), "status", "observedGeneration")["type"]).ShouldBe("integer");
    }

    [Fact]
    public void InterfaceBandwidth_class_id_is_an_htb_minor_from_3()
    {
        var classId = At(Schema(Crd("interfacebandwidths")), "status", "classId");
        ((string?)classId["type"]).ShouldBe("integer");
        ((long?)classId["minimum"]).ShouldBe(3);
        ((long?)classId["maximum"]).ShouldBe(0xFFFF);
    }

    [Theory]
    [InlineData("bridgenetworks")]
    [InlineData("interfacebandwidths")]
    public void Schema_is_structural_and_uses_only_keywords_the_test_validator_implements(string plural)
    {
        var problems = new List<string>();
        Walk(Schema(Crd(plural)), "openAPIV3Schema", problems);
        problems.ShouldBeEmpty();
    }

    private static void Walk(JsonObject schema, string path, List<string> problems)
    {
        foreach (var (keyword, _) in schema)
        {
            if (!StructuralSchemaValidator.SupportedKeywords.Contains(keyword))
            {
                problems.Add($"{path}: keyword '{keyword}' is not implemented by StructuralSchemaValidator");
            }
        }

        var intOrString = (bool?)schema["x-kubernetes-int-or-string"] == true;
        if (schema["type"] is null && !intOrString)
        {
            problems.Add($"{path}: no type (not structural)");
        }

        if (intOrString && schema["anyOf"] is JsonArray anyOf
            && anyOf.Select(b => (string?)b!["type"]).Order(StringComparer.Ordinal).SequenceEqual(["integer", "string"]) is false)
        {
            problems.Add($"{path}: int-or-string anyOf must be exactly [integer, string]");
        }

        if (schema["anyOf"] is not null && !intOrString)
        {
            problems.Add($"{path}: anyOf is only used for int-or-string");
        }

        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var text = (string)rule["rule"]!;
            if (!CelRuleSubset.IsSupported(text))
            {
                problems.Add($"{path}: CEL rule '{text}' is not evaluated by the sample tests (extend CelRuleSubset)");
            }

            rule["message"].ShouldNotBeNull($"{path}: CEL rule '{text}' needs a message");
        }

        if ((string?)schema["x-kubernetes-list-type"] == "map")
        {
            var item = schema["items"]!.AsObject();
            foreach (var key in Strings(schema["x-kubernetes-list-map-keys"]))
            {
                if (!Strings(item["required"] ?? new JsonArray()).Contains(key))
                {
                    problems.Add($"{path}: list-map key '{key}' must be required");
                }
            }
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            Walk(child!.AsObject(), $"{path}.{name}", problems);
        }

        if (schema["items"] is JsonObject items)
        {
            Walk(items, $"{path}[]", problems);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            Walk(additional, $"{path}{{}}", problems);
        }
    }
}
