using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>Objects of our CRDs (crds/) and of built-in kinds, as JSON.</summary>
internal static class Objects
{
    public const string Group = "bandwidthoperator.io";
    public const string V1alpha1 = "v1alpha1";

    public static JsonObject Ibw(string name, string node = "node-a", string mac = "52:54:00:6b:3c:01", string ns = "default") => new()
    {
        ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
        ["kind"] = "InterfaceBandwidth",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["bandwidthoperator.io/node"] = node, ["bandwidthoperator.io/network"] = "tenant-blue" },
        },
        ["spec"] = new JsonObject
        {
            ["network"] = "tenant-blue",
            ["nodeName"] = node,
            ["macAddress"] = mac,
            ["inbound"] = new JsonObject { ["average"] = "100M", ["peak"] = "200M", ["burst"] = "1Mi", ["floor"] = 1000000 },
        },
    };

    public static JsonObject Bn(string name = "tenant-blue") => new()
    {
        ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
        ["kind"] = "BridgeNetwork",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["bridge"] = "br-blue", ["inbound"] = new JsonObject { ["average"] = "10G" } },
    };

    public static JsonObject Node(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux" } },
    };

    public static JsonObject Pod(string name, string node) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.k8s.io/pause:3.10" }),
        },
    };

    public static string Rv(JsonNode obj) => (string)obj["metadata"]!["resourceVersion"]!;

    public static long Generation(JsonNode obj) => (long)obj["metadata"]!["generation"]!;
}
