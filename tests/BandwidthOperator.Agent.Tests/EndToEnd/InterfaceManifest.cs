using System.Text.Json.Nodes;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>The InterfaceBandwidth JSON the agent tests seed into the API-server double (one place, not one copy per test).</summary>
internal static class InterfaceManifest
{
    /// <param name="device">spec.device (the host port); null leaves it out (the agent finds the port in the bridge's FDB).</param>
    /// <param name="inbound">spec.inbound; null: <c>{}</c>.</param>
    /// <param name="outbound">spec.outbound; null leaves it out.</param>
    public static JsonObject Json(string name, string network, string node, string mac, string? device = null,
        JsonObject? inbound = null, JsonObject? outbound = null, string ns = "tenant-a")
    {
        var spec = new JsonObject
        {
            ["network"] = network,
            ["nodeName"] = node,
            ["macAddress"] = mac,
        };
        if (device is not null)
        {
            spec["device"] = device;
        }

        spec["inbound"] = inbound ?? new JsonObject();
        if (outbound is not null)
        {
            spec["outbound"] = outbound;
        }

        return new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "InterfaceBandwidth",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }
}
