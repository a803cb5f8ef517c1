using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BandwidthOperator.ApiServerDouble.Storage;

/// <summary>What the API server's defaulting and admission add to built-in objects, as far as the transcripts show.</summary>
internal static partial class Defaults
{
    public static void OnCreate(ResourceType type, JsonObject obj)
    {
        if (type == ResourceType.Namespaces)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            obj["spec"] = spec;
            spec["finalizers"] ??= new JsonArray("kubernetes");
            var status = obj["status"] as JsonObject ?? [];
            obj["status"] = status;
            status["phase"] ??= "Active";
            var labels = obj["metadata"]!["labels"] as JsonObject ?? [];
            obj["metadata"]!["labels"] = labels;
            labels["kubernetes.io/metadata.name"] = (string?)obj["metadata"]!["name"];
        }
        else if (type == ResourceType.Pods)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            obj["spec"] = spec;
            spec["restartPolicy"] ??= "Always";
            spec["dnsPolicy"] ??= "ClusterFirst";
            spec["serviceAccountName"] ??= "default";
            spec["serviceAccount"] ??= (string?)spec["serviceAccountName"];
            spec["schedulerName"] ??= "default-scheduler";
            spec["terminationGracePeriodSeconds"] ??= 30;
            var status = obj["status"] as JsonObject ?? [];
            obj["status"] = status;
            status["phase"] ??= "Pending";
            status["qosClass"] ??= "BestEffort";
            QuotaAdmission.DefaultRequests(obj);
        }
        else if (type == ResourceType.Nodes)
        {
            var spec = obj["spec"] as JsonObject ?? [];
            obj["spec"] = spec;
            spec["taints"] ??= new JsonArray(new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["effect"] = "NoSchedule" });
            var status = obj["status"] as JsonObject ?? [];
            obj["status"] = status;
            status["daemonEndpoints"] ??= new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 0 } };
            status["nodeInfo"] ??= new JsonObject
            {
                ["machineID"] = string.Empty,
                ["systemUUID"] = string.Empty,
                ["bootID"] = string.Empty,
                ["kernelVersion"] = string.Empty,
                ["osImage"] = string.Empty,
                ["containerRuntimeVersion"] = string.Empty,
                ["kubeletVersion"] = string.Empty,
                ["kubeProxyVersion"] = string.Empty,
                ["operatingSystem"] = string.Empty,
                ["architecture"] = string.Empty,
            };
            OnUpdate(type, obj);
        }
        else if (type == ResourceType.ResourceQuotas)
        {
            obj["status"] = new JsonObject();
        }
        else if (type == ResourceType.CoreEvents)
        {
            if (!obj.ContainsKey("eventTime"))
            {
                obj["eventTime"] = null;
            }
        }
        else if (type == ResourceType.Events)
        {
            obj["deprecatedSource"] ??= new JsonObject();
            foreach (var name in new[] { "deprecatedFirstTimestamp", "deprecatedLastTimestamp" })
            {
                if (!obj.ContainsKey(name))
                {
                    obj[name] = null;
                }
            }
        }
    }

    public static void OnUpdate(ResourceType type, JsonObject obj)
    {
        if (type != ResourceType.Nodes || obj["status"] is not JsonObject status)
        {
            return;
        }

        CanonicalQuantities(status["capacity"] as JsonObject);
        CanonicalQuantities(status["allocatable"] as JsonObject);
        if (status["capacity"] is JsonObject capacity && status["allocatable"] is null)
        {
            status["allocatable"] = capacity.DeepClone();
        }

        // A Go map: the keys come back sorted (transcript 72: the new key among cpu/memory/pods).
        foreach (var field in new[] { "capacity", "allocatable" })
        {
            if (status[field] is JsonObject map)
            {
                status[field] = new JsonObject(map.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
            }
        }
    }

    /// <summary>
    /// Node status validation as far as the transcripts show (73, 74): an extended resource (a name with a
    /// domain other than kubernetes.io) in <c>status.capacity</c> or <c>status.allocatable</c> must be a whole
    /// number; the error echoes the canonical form (<c>1.5</c> → <c>1500m</c>). Capacity's causes come first.
    /// </summary>
    public static IReadOnlyList<(string Field, string Reason, string Message)> NodeStatusProblems(JsonObject node)
    {
        var causes = new List<(string, string, string)>();
        foreach (var field in new[] { "capacity", "allocatable" })
        {
            if (node["status"]?[field] is not JsonObject map)
            {
                continue;
            }

            foreach (var (name, value) in map)
            {
                if (IsExtendedResource(name) && (string?)value is { } text && !IsWholeNumber(text))
                {
                    causes.Add(($"status.{field}.{name}", "FieldValueInvalid", $"Invalid value: \"{CanonicalQuantity(text)}\": must be an integer"));
                }
            }
        }

        return causes;
    }

    /// <summary>Kubernetes' IsExtendedResourceName, for names found in a Node's status: a domain-prefixed name outside kubernetes.io.</summary>
    public static bool IsExtendedResource(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return false;
        }

        var domain = name[..slash];
        return domain != "kubernetes.io" && !domain.EndsWith(".kubernetes.io", StringComparison.Ordinal) && !name.StartsWith("requests.", StringComparison.Ordinal);
    }

    private static bool IsWholeNumber(string text) => Nanos(text) is not { } nanos || nanos % Billion == 0;

    private static readonly BigInteger Billion = 1_000_000_000;

    /// <summary>A decimal-suffixed quantity in nano-units (null: not a decimal quantity, e.g. a binary suffix).</summary>
    public static BigInteger? Nanos(string text)
    {
        var match = FractionalQuantity().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var whole = match.Groups["whole"].Value;
        var fraction = match.Groups["fraction"].Value;
        if (fraction.Length > 9)
        {
            fraction = fraction[..9];
        }

        var value = BigInteger.Parse((whole.Length == 0 ? "0" : whole) + fraction.PadRight(9, '0'), CultureInfo.InvariantCulture);
        var exponent = DecimalExponent(match.Groups["suffix"].Value);
        return exponent >= 0 ? value * BigInteger.Pow(10, exponent) : value / BigInteger.Pow(10, -exponent);
    }

    /// <summary>The power of ten of a decimal SI suffix (m, k, M, G, T, P, E; none: 0).</summary>
    private static int DecimalExponent(string suffix) => suffix switch
    {
        "m" => -3,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        _ => 0,
    };

    [GeneratedRegex(@"^(?<whole>[0-9]*)(\.(?<fraction>[0-9]*))?(?<suffix>[mkMGTPE]?)$")]
    private static partial Regex FractionalQuantity();

    private static void CanonicalQuantities(JsonObject? quantities)
    {
        if (quantities is null)
        {
            return;
        }

        foreach (var name in quantities.Select(kv => kv.Key).ToList())
        {
            if ((string?)quantities[name] is { } text)
            {
                quantities[name] = CanonicalQuantity(text);
            }
        }
    }

    /// <summary>
    /// resource.Quantity's canonical form for whole decimal quantities: the largest SI suffix that keeps the
    /// mantissa whole (<c>1000</c> → <c>1k</c>, <c>2500000</c> → <c>2500k</c>). Binary-suffixed and fractional values are kept as sent.
    /// </summary>
    public static string CanonicalQuantity(string text)
    {
        var match = DecimalQuantity().Match(text);
        if (!match.Success)
        {
            // Fractions and milli-units: resource.Quantity prints the smallest of m/u/n that keeps it whole (1.5 → 1500m).
            if (Nanos(text) is { } nanos && nanos % Billion != 0)
            {
                return nanos % 1_000_000 == 0 ? $"{nanos / 1_000_000}m" : nanos % 1000 == 0 ? $"{nanos / 1000}u" : $"{nanos}n";
            }

            if (Nanos(text) is { } whole && text.Length > 0)
            {
                return CanonicalQuantity((whole / Billion).ToString(CultureInfo.InvariantCulture));
            }

            return text;
        }

        var value = BigInteger.Parse(match.Groups["digits"].Value, CultureInfo.InvariantCulture);
        var exponent = DecimalExponent(match.Groups["suffix"].Value);
        if (value.IsZero)
        {
            return "0";
        }

        while (value % 1000 == 0 && exponent < 18)
        {
            value /= 1000;
            exponent += 3;
        }

        var suffix = exponent switch
        {
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => string.Empty,
        };
        return value.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    [GeneratedRegex(@"^(?<digits>[0-9]+)(?<suffix>[kMGTPE]?)$")]
    private static partial Regex DecimalQuantity();
}
