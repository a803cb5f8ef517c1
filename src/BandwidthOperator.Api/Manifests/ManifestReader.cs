using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BandwidthOperator.Api.Manifests;

/// <summary>
/// Reads <c>BridgeNetwork</c> and <c>InterfaceBandwidth</c> objects from YAML or JSON files (multi-document,
/// a file or every *.yaml/*.yml/*.json in a folder, sorted by name; <c>List</c> kinds are unpacked).
/// Other kinds are skipped and listed, files without a document are listed. Each BridgeNetwork and
/// InterfaceBandwidth is checked against its CRD's schema (<see cref="CrdSchemaSet.Embedded"/>) first, as
/// the API server would with strict field validation; what it refuses is listed in
/// <see cref="ManifestSet.Problems"/> by file, line and field, and the object is not read.
/// Plain YAML scalars follow the core schema (numbers, booleans, null).
/// </summary>
public static partial class ManifestReader
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

        var acc = new Accumulator();
        var read = 0;
        foreach (var file in files)
        {
            read++;
            Read(File.ReadAllText(file), file, acc);
        }

        if (read == 0)
        {
            acc.Empty.Add($"{path}: no *.yaml, *.yml or *.json file in this folder");
        }

        return acc.ToSet();
    }

    public static ManifestSet ReadText(string text, string source = "<input>")
    {
        var acc = new Accumulator();
        Read(text, source, acc);
        return acc.ToSet();
    }

    private static void Read(string text, string source, Accumulator acc)
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

        var documents = 0;
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            documents++;

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

            Add(obj, source, doc.RootNode, acc);
        }

        if (documents == 0)
        {
            acc.Empty.Add($"{source}: no manifest in this file");
        }
    }

    private static void Add(JsonObject obj, string source, YamlNode yaml, Accumulator acc)
    {
        var where = $"{source}:{yaml.Start.Line}";
        var kind = Text(obj["kind"], "kind", where);
        var apiVersion = Text(obj["apiVersion"], "apiVersion", where);
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            var itemNodes = (yaml as YamlMappingNode)?.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "items" }).Value as YamlSequenceNode;
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JsonObject item)
                {
                    Add(item, source, itemNodes is not null && i < itemNodes.Children.Count ? itemNodes.Children[i] : yaml, acc);
                }
            }

            return;
        }

        if (apiVersion != ApiGroup.ApiVersion || kind is not (BridgeNetwork.KubeKind or InterfaceBandwidth.KubeKind))
        {
            var close = new[] { BridgeNetwork.KubeKind, InterfaceBandwidth.KubeKind }
                .FirstOrDefault(k => kind is not null && (kind.StartsWith(k, StringComparison.OrdinalIgnoreCase) || k.StartsWith(kind, StringComparison.OrdinalIgnoreCase)));
            var note = apiVersion?.StartsWith(ApiGroup.Group + "/", StringComparison.Ordinal) == true && kind is not (BridgeNetwork.KubeKind or InterfaceBandwidth.KubeKind)
                ? $": {ApiGroup.Group} has no kind {kind}{(close is null ? string.Empty : $" (did you mean {close}?)")}"
                : string.Empty;
            acc.Skipped.Add($"{where}: {kind ?? "(no kind)"} {obj["metadata"]?["name"]} ({apiVersion ?? "no apiVersion"}){note}");
            return;
        }

        var errors = CrdSchemaSet.Embedded.Validate(obj);
        if (errors.Count > 0)
        {
            var lines = LineIndex(yaml);
            var who = $"{kind} {Key(obj)}";
            acc.Problems.AddRange(errors.Select(e => new ManifestProblem(source, LineOf(lines, e.Path, yaml.Start.Line), who, e.Path, Hint(e))));
            return;
        }

        var networks = acc.Networks;
        var interfaces = acc.Interfaces;
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

    private static string Key(JsonObject obj) =>
        obj["metadata"]?["namespace"] is JsonValue ns ? $"{ns}/{obj["metadata"]?["name"]}" : $"{obj["metadata"]?["name"]}";

    /// <summary>The schema's message, with the spelling to use when a rate is written as tc writes it (100mbit → 100M).</summary>
    private static string Hint(SchemaError e)
    {
        var m = TcRateSpelling().Match(e.Message);
        if (!m.Success || !e.Message.Contains("(([KMGTPE]i)", StringComparison.Ordinal))
        {
            return e.Message;
        }

        var text = m.Groups["q"].Value;
        return QuantityHints.Suggest(text) is { } suggestion
            ? $"Invalid value: \"{text}\": not a quantity; rates are Kubernetes quantities in bits per second: write {suggestion}"
            : $"Invalid value: \"{text}\": not a quantity (a number with an optional suffix: 100M, 2.5G, 64Ki)";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Invalid value: ""(?<q>[^""]*)"": .* should match")]
    private static partial System.Text.RegularExpressions.Regex TcRateSpelling();

    /// <summary>Field path (<c>spec.inbound.floor</c>, <c>items[0]</c>) → the line of its key or item.</summary>
    private static Dictionary<string, long> LineIndex(YamlNode root)
    {
        var lines = new Dictionary<string, long>(StringComparer.Ordinal) { [string.Empty] = root.Start.Line };
        void Walk(YamlNode node, string path)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    foreach (var (key, value) in map.Children)
                    {
                        var child = path.Length == 0 ? ((YamlScalarNode)key).Value ?? string.Empty : $"{path}.{((YamlScalarNode)key).Value}";
                        lines.TryAdd(child, key.Start.Line);
                        Walk(value, child);
                    }

                    break;
                case YamlSequenceNode seq:
                    for (var i = 0; i < seq.Children.Count; i++)
                    {
                        var child = $"{path}[{i}]";
                        lines.TryAdd(child, seq.Children[i].Start.Line);
                        Walk(seq.Children[i], child);
                    }

                    break;
            }
        }

        Walk(root, string.Empty);
        return lines;
    }

    /// <summary>The line of the field, else of its nearest parent that is written (a missing required field).</summary>
    private static long LineOf(Dictionary<string, long> lines, string path, long fallback)
    {
        for (var p = path; ; )
        {
            if (lines.TryGetValue(p, out var line))
            {
                return line;
            }

            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            if (cut <= 0)
            {
                return fallback;
            }

            p = p[..cut];
        }
    }

    internal static JsonNode? ToJson(YamlNode node) => node switch
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

    private sealed class Accumulator
    {
        public List<BridgeNetwork> Networks { get; } = [];

        public List<InterfaceBandwidth> Interfaces { get; } = [];

        public List<string> Skipped { get; } = [];

        public List<ManifestProblem> Problems { get; } = [];

        public List<string> Empty { get; } = [];

        public ManifestSet ToSet() => new(Networks, Interfaces, Skipped) { Problems = Problems, Empty = Empty };
    }
}
