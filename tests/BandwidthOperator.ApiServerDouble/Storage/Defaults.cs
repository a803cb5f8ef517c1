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
    }

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
            return text;
        }

        var value = BigInteger.Parse(match.Groups["digits"].Value, CultureInfo.InvariantCulture);
        var exponent = match.Groups["suffix"].Value switch
        {
            "k" => 3,
            "M" => 6,
            "G" => 9,
            "T" => 12,
            "P" => 15,
            "E" => 18,
            _ => 0,
        };
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
