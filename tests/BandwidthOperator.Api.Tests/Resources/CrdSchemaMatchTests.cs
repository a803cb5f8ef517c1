using System.Reflection;
using System.Text.Json.Serialization;
using BandwidthOperator.Api.Resources;
using YamlDotNet.RepresentationModel;

namespace BandwidthOperator.Api.Tests.Resources;

/// <summary>
/// The CRDs in crds/ are the source of truth: every JSON field of the C# resource types is in the
/// schema, and every field of the schema is in the types, at every level of spec and status.
/// </summary>
public sealed class CrdSchemaMatchTests
{
    public static TheoryData<string, Type> Kinds() => new()
    {
        { "bandwidthoperator.io_bridgenetworks.yaml", typeof(BridgeNetwork) },
        { "bandwidthoperator.io_interfacebandwidths.yaml", typeof(InterfaceBandwidth) },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_types_and_the_CRD_schema_have_the_same_fields(string crdFile, Type type)
    {
        var schema = Schema(crdFile);
        var differences = new List<string>();
        foreach (var top in new[] { "spec", "status" })
        {
            var property = JsonProperties(type)[top];
            Compare(top, property.PropertyType, Child(Child(schema, "properties"), top)!, differences);
        }

        differences.ShouldBeEmpty(string.Join("\n", differences));
    }

    [Fact]
    public void A_field_missing_from_the_schema_is_found()
    {
        var differences = new List<string>();
        var schema = new YamlMappingNode { { "type", "object" }, { "properties", new YamlMappingNode { { "floor", new YamlMappingNode { { "type", "string" } } } } } };

        Compare("spec.inbound", typeof(InterfaceInbound), schema, differences);

        differences.ShouldContain("spec.inbound.average: in the C# type, not in the schema");
    }

    private static void Compare(string path, Type type, YamlMappingNode schema, List<string> differences)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>))
        {
            var items = Child(schema, "items");
            if (items is null)
            {
                differences.Add($"{path}: a list in the C# type, not in the schema");
                return;
            }

            Compare(path + "[]", type.GetGenericArguments()[0], items, differences);
            return;
        }

        if (type.Namespace != typeof(BridgeNetwork).Namespace)
        {
            return; // strings, numbers, and Kubernetes' own types (label selectors, conditions)
        }

        var declared = Child(schema, "properties");
        var schemaFields = declared?.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet() ?? [];
        var typeFields = JsonProperties(type);
        foreach (var name in typeFields.Keys.Except(schemaFields))
        {
            differences.Add($"{path}.{name}: in the C# type, not in the schema");
        }

        foreach (var name in schemaFields.Except(typeFields.Keys))
        {
            differences.Add($"{path}.{name}: in the schema, not in the C# type");
        }

        foreach (var (name, property) in typeFields)
        {
            if (Child(declared, name) is { } child)
            {
                Compare($"{path}.{name}", property.PropertyType, child, differences);
            }
        }
    }

    private static Dictionary<string, PropertyInfo> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name);

    private static YamlMappingNode? Child(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static YamlMappingNode Schema(string crdFile)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(BandwidthOperator.Testing.RepositoryRoot.Read(Path.Combine("crds", crdFile))));
        var crd = (YamlMappingNode)stream.Documents[0].RootNode;
        var versions = (YamlSequenceNode)Child(crd, "spec")!.Children[new YamlScalarNode("versions")];
        var version = versions.Children.Cast<YamlMappingNode>().Single(v => ((YamlScalarNode)v.Children[new YamlScalarNode("name")]).Value == "v1alpha1");
        return Child(Child(version, "schema"), "openAPIV3Schema")!;
    }
}
