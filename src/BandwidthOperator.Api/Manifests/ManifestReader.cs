using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Api.Resources;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BandwidthOperator.Api.Manifests;

/// <summary>
/// Reads <c>BridgeNetwork</c> and <c>InterfaceBandwidth</c> objects from YAML or JSON files (multi-document,
/// a file or every *.yaml/*.yml/*.json in a folder, sorted by name; <c>List</c> kinds are unpacked).
/// Other kinds are skipped and listed. Plain YAML scalars follow the core schema (numbers, booleans, null).
/// </summary>
public static class ManifestReader
{
    public static ManifestSet ReadPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        IEnumerable<string> files;
        if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                .Where(f => !Path.GetFileName(f).StartsWith("kustomization", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new ManifestException($"{path}: no such file or directory");
        }

        var networks = new List<BridgeNetwork>();
        var interfaces = new List<InterfaceBandwidth>();
        var skipped = new List<string>();
        foreach (var file in files)
        {
            Read(File.ReadAllText(file), file, networks, interfaces, skipped);
        }

        return new ManifestSet(networks, interfaces, skipped);
    }

    public static ManifestSet ReadText(string text, string source = "<input>")
    {
        var networks = new List<BridgeNetwork>();
        var interfaces = new List<InterfaceBandwidth>();
        var skipped = new List<string>();
        Read(text, source, networks, interfaces, skipped);
        return new ManifestSet(networks, interfaces, skipped);
    }

    private static void Read(string text, string source, List<BridgeNetwork> networks, List<InterfaceBandwidth> interfaces, List<string> skipped)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new ManifestException($"{source}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ManifestException($"{source}:{parser.Current?.End.Line ?? 0}: not valid YAML: the document ends before it is complete", e);
        }

        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            var line = doc.RootNode.Start.Line;
            JsonNode? root;
            try
            {
                root = ToJson(doc.RootNode);
            }
            catch (InvalidCastException e)
            {
                throw new ManifestException($"{source}:{line}: a mapping key must be a plain value", e);
            }

            if (root is not JsonObject obj)
            {
                throw new ManifestException($"{source}:{line}: a manifest document must be a mapping");
            }

            Add(obj, $"{source}:{line}", networks, interfaces, skipped);
        }
    }

    private static void Add(JsonObject obj, string where, List<BridgeNetwork> networks, List<InterfaceBandwidth> interfaces, List<string> skipped)
    {
        var kind = Text(obj["kind"], "kind", where);
        var apiVersion = Text(obj["apiVersion"], "apiVersion", where);
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                Add(item, where, networks, interfaces, skipped);
            }

            return;
        }

        if (apiVersion != ApiGroup.ApiVersion || kind is not (BridgeNetwork.KubeKind or InterfaceBandwidth.KubeKind))
        {
            skipped.Add($"{where}: {kind ?? "(no kind)"} {obj["metadata"]?["name"]} ({apiVersion ?? "no apiVersion"})");
            return;
        }

        try
        {
            if (kind == BridgeNetwork.KubeKind)
            {
                networks.Add(obj.Deserialize<BridgeNetwork>() ?? throw new ManifestException($"{where}: empty {kind}"));
            }
            else
            {
                interfaces.Add(obj.Deserialize<InterfaceBandwidth>() ?? throw new ManifestException($"{where}: empty {kind}"));
            }
        }
        catch (JsonException e)
        {
            throw new ManifestException($"{where}: {kind} {obj["metadata"]?["name"]}: {e.Path}: {e.Message}", e);
        }
    }

    private static string? Text(JsonNode? node, string field, string where) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new ManifestException($"{where}: {field} must be a string, not {node.ToJsonString()}"),
    };

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var v = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(v);
        }

        switch (v)
        {
            case null or "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        return JsonValue.Create(v);
    }
}
