using System.Text.Json.Nodes;
using BandwidthOperator.Api.Schema;

namespace BandwidthOperator.Api.Tests.Schema;

/// <summary>spec.target and the hand-written spec.nodeName/spec.macAddress/spec.device exclude each other in the CRD's schema (CEL rules).</summary>
public sealed class TargetSchemaTests
{
    private static JsonObject Interface(string spec) => JsonNode.Parse($$"""
        {"apiVersion": "bandwidthoperator.io/v1alpha1", "kind": "InterfaceBandwidth",
         "metadata": {"name": "vm-a-net1", "namespace": "t1"}, "spec": {{spec}}}
        """)!.AsObject();

    [Fact]
    public void A_target_alone_is_valid()
    {
        CrdSchemaSet.Embedded.Validate(Interface("""{"network": "n", "target": {"kind": "VirtualMachineInstance", "name": "vm-a", "interface": "net1"}}"""))
            .ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"network": "n", "nodeName": "node-a", "target": {"kind": "Pod", "name": "p", "interface": "net1"}}""", "exactly one of spec.target and spec.nodeName")]
    [InlineData("""{"network": "n", "macAddress": "52:54:00:00:00:01", "target": {"kind": "Pod", "name": "p", "interface": "net1"}}""", "exactly one of spec.target and spec.macAddress")]
    [InlineData("""{"network": "n", "device": "tap0", "target": {"kind": "Pod", "name": "p", "interface": "net1"}}""", "spec.device cannot be given with spec.target")]
    [InlineData("""{"network": "n", "macAddress": "52:54:00:00:00:01"}""", "exactly one of spec.target and spec.nodeName")]
    [InlineData("""{"network": "n"}""", "exactly one of spec.target and spec.macAddress")]
    public void Target_and_hand_written_placement_exclude_each_other(string spec, string message)
    {
        var errors = CrdSchemaSet.Embedded.Validate(Interface(spec));

        errors.ShouldContain(e => e.Path == "spec" && e.Message.Contains(message, StringComparison.Ordinal), string.Join("\n", errors));
    }

    [Theory]
    [InlineData("""{"kind": "VirtualMachine", "name": "vm-a", "interface": "net1"}""", "spec.target.kind")]
    [InlineData("""{"kind": "Pod", "name": "Not_A_Name", "interface": "net1"}""", "spec.target.name")]
    [InlineData("""{"kind": "Pod", "name": "p"}""", "spec.target.interface")]
    public void A_malformed_target_names_its_field(string target, string field)
    {
        var errors = CrdSchemaSet.Embedded.Validate(Interface($$"""{"network": "n", "target": {{target}}}"""));

        errors.Select(e => e.Path).ShouldContain(field, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("has(self.a) != has(self.b)", """{"a": 1}""", true)]
    [InlineData("has(self.a) != has(self.b)", """{"a": 1, "b": 2}""", false)]
    [InlineData("has(self.a) != has(self.b)", """{}""", false)]
    [InlineData("!has(self.a) || !has(self.b)", """{"a": 1, "b": 2}""", false)]
    [InlineData("!has(self.a) || !has(self.b)", """{"b": 2}""", true)]
    public void The_exclusion_rule_shapes_are_evaluated(string rule, string self, bool expected)
    {
        CelRuleSubset.Evaluate(rule, JsonNode.Parse(self)).ShouldBe(expected);
    }
}
