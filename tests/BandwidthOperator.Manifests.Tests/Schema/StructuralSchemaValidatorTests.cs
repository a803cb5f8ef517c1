using BandwidthOperator.Api.Schema;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Schema;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests.Schema;

/// <summary>The test-side validator itself: if it accepted everything, the sample tests would prove nothing.</summary>
public sealed class StructuralSchemaValidatorTests
{
    private static readonly CrdCatalog Crds = CrdCatalog.FromRepository();

    private static JsonObject Ibw(string spec) => YamlDocuments.Parse(
        $$"""
        apiVersion: bandwidthoperator.io/v1alpha1
        kind: InterfaceBandwidth
        metadata: {name: x, namespace: y}
        spec: {{spec}}
        """, "inline").Single();

    private static IReadOnlyList<string> Errors(string spec) => [.. Crds.Validate(Ibw(spec)).Errors.Select(e => e.ToString())];

    private const string Valid = "{network: n, nodeName: node-a, macAddress: '02:00:00:00:00:01'";

    [Theory]
    [InlineData("100M")]
    [InlineData("2.5G")]
    [InlineData("64Ki")]
    [InlineData("1e9")]
    [InlineData("+10G")]
    [InlineData("0")]
    [InlineData("1000000000")]
    public void Quantities_are_accepted(string quantity) =>
        Errors($"{Valid}, inbound: {{floor: {quantity}}}}}").ShouldBeEmpty();

    [Theory]
    [InlineData("-1G")]
    [InlineData("-5")]
    [InlineData("100m")]
    [InlineData("1e-3")]
    [InlineData("10 G")]
    [InlineData("G")]
    [InlineData("1.5.5G")]
    [InlineData("10Gbit")]
    [InlineData("true")]
    [InlineData("1.5")]
    public void Bad_quantities_are_rejected(string quantity) =>
        Errors($"{Valid}, inbound: {{floor: {quantity}}}}}").ShouldHaveSingleItem().ShouldStartWith("spec.inbound.floor: ");

    [Theory]
    [InlineData("52:54:00:6b:3c:01")]
    [InlineData("02:AB:cd:00:00:01")]
    [InlineData("fe:ff:ff:ff:ff:ff")]
    public void Unicast_macs_are_accepted(string mac) =>
        Errors($"{{network: n, nodeName: a, macAddress: '{mac}'}}").ShouldBeEmpty();

    [Theory]
    [InlineData("01:00:5e:00:00:01")]
    [InlineData("ff:ff:ff:ff:ff:ff")]
    [InlineData("33:33:00:00:00:01")]
    [InlineData("52-54-00-6b-3c-01")]
    [InlineData("52:54:00:6b:3c")]
    [InlineData("52:54:00:6b:3c:01:02")]
    [InlineData("5254.006b.3c01")]
    [InlineData("00:00:00:00:00:00")]
    public void Multicast_zero_and_malformed_macs_are_rejected(string mac)
    {
        var errors = Errors($"{{network: n, nodeName: a, macAddress: '{mac}'}}");
        errors.ShouldNotBeEmpty();
        errors.ShouldAllBe(e => e.StartsWith("spec.macAddress: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Type_errors_read_like_the_api_server()
    {
        // Recorded from kube-apiserver v1.34 (shared/kube-apiserver-transcripts/06-create-several-invalid-fields.http).
        Errors($"{Valid}, inbound: {{floor: true}}}}").ShouldBe(
            ["spec.inbound.floor: Invalid value: \"boolean\": spec.inbound.floor in body must be of type integer,string: \"boolean\""]);
        Errors($"{Valid}, inbound: [1]}}").ShouldBe(
            ["spec.inbound: Invalid value: \"array\": spec.inbound in body must be of type object: \"array\""]);
    }

    [Fact]
    public void Missing_required_fields_are_named()
    {
        Errors("{inbound: {floor: 1G}}").ShouldBe(
            ["spec.network: Required value",
             "spec: Invalid value: exactly one of spec.target and spec.nodeName is required (a target's node is resolved from its workload)",
             "spec: Invalid value: exactly one of spec.target and spec.macAddress is required (a target's MAC is resolved from its workload)"], ignoreOrder: true);
    }

    [Fact]
    public void Unknown_fields_are_rejected_like_strict_field_validation()
    {
        Errors($"{Valid}, outbound: {{ceiling: 1G}}}}").ShouldBe(["spec.outbound.ceiling: unknown field"]);
        Errors($"{Valid}, macaddress: x}}").ShouldBe(["spec.macaddress: unknown field"]);
    }

    [Theory]
    [InlineData("inbound: {peak: 2G}", "spec.inbound.peak: Invalid value: peak requires average")]
    [InlineData("inbound: {burst: 64Ki, floor: 1G}", "spec.inbound.burst: Invalid value: burst requires average")]
    [InlineData("outbound: {peak: 2G}", "spec.outbound.peak: Invalid value: peak requires average")]
    public void Cel_rules_peak_and_burst_need_average(string direction, string error) =>
        Errors($"{Valid}, {direction}}}").ShouldBe([error]);

    [Theory]
    [InlineData("a-name-of-16chrs")]
    [InlineData("tap 0")]
    [InlineData("..")]
    [InlineData("")]
    public void Bad_device_names_are_rejected(string device) =>
        Errors($"{Valid}, device: '{device}'}}").ShouldNotBeEmpty();

    [Fact]
    public void Status_lists_are_maps_without_duplicate_keys()
    {
        var bn = YamlDocuments.Parse(
            """
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: BridgeNetwork
            metadata: {name: n}
            spec: {bridge: br0}
            status:
              nodes: [{nodeName: a}, {nodeName: a}]
              conditions: [{type: Ready, status: Maybe}]
            """, "inline").Single();
        Crds.Validate(bn).Errors.Select(e => e.ToString()).ShouldBe(
            ["status.conditions[0].status: Unsupported value: \"Maybe\": supported values: \"True\", \"False\", \"Unknown\"",
             "status.nodes[1]: Duplicate value: {\"a\"}"],
            ignoreOrder: true);
    }

    [Fact]
    public void A_cluster_scoped_kind_refuses_a_namespace_and_an_unknown_kind_is_refused()
    {
        var bn = YamlDocuments.Parse("{apiVersion: bandwidthoperator.io/v1alpha1, kind: BridgeNetwork, metadata: {name: n, namespace: x}, spec: {bridge: br0}}", "inline").Single();
        Crds.Validate(bn).Errors.Select(e => e.Path).ShouldBe(["metadata.namespace"]);
        var other = YamlDocuments.Parse("{apiVersion: bandwidthoperator.io/v1, kind: BridgeNetwork, metadata: {name: n}}", "inline").Single();
        Crds.Validate(other).Errors.Select(e => e.Path).ShouldBe(["kind"]);
    }

    [Fact]
    public void Unsupported_cel_rules_are_reported_as_skipped()
    {
        var schema = (JsonObject)JsonNode.Parse("""{"type":"object","x-kubernetes-validations":[{"rule":"self.a < self.b"}]}""")!;
        var validator = new StructuralSchemaValidator(schema);
        validator.Validate(new JsonObject()).ShouldBeEmpty();
        validator.SkippedRules.ShouldBe([": self.a < self.b"]);
    }
}
