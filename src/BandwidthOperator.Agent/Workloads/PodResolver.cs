using System.Text.Json;
using BandwidthOperator.Api.Quantities;
using k8s.Models;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// Pure: a Pod and one of its Multus attachments → its node (<c>spec.nodeName</c>) and the attachment's
/// MAC from the <c>k8s.v1.cni.cncf.io/network-status</c> annotation (a JSON list of
/// <c>{name, interface, mac, ...}</c>). The attachment is named by its network (<c>namespace/network</c>,
/// or <c>network</c> meaning the pod's namespace) or by its in-pod interface name (<c>net1</c>).
/// </summary>
public static class PodResolver
{
    public const string NetworkStatusAnnotation = "k8s.v1.cni.cncf.io/network-status";

    public static WorkloadPlacement Resolve(V1Pod pod, string attachment)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(attachment);
        var ns = pod.Metadata?.NamespaceProperty;
        var name = $"Pod {ns}/{pod.Metadata?.Name}";
        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return WorkloadPlacement.Unresolved(WorkloadReasons.WorkloadNotRunning, $"{name} is {pod.Status.Phase}");
        }

        var node = pod.Spec?.NodeName;
        if (string.IsNullOrEmpty(node))
        {
            return WorkloadPlacement.Unresolved(WorkloadReasons.WorkloadNotScheduled, $"{name} has no node yet (spec.nodeName)");
        }

        IReadOnlyList<NodeHolding> holdings = [new NodeHolding(node, WorkloadRole.Running)];
        var text = pod.Metadata?.Annotations is { } annotations && annotations.TryGetValue(NetworkStatusAnnotation, out var value) ? value : null;
        if (text is null)
        {
            return WorkloadPlacement.Unresolved(WorkloadReasons.InterfaceNotFound, $"{name} has no {NetworkStatusAnnotation} annotation (Multus has not attached its networks yet)", holdings);
        }

        List<(string? Name, string? Interface, string? Mac)> entries;
        try
        {
            entries = Parse(text);
        }
        catch (JsonException e)
        {
            return WorkloadPlacement.Unresolved(WorkloadReasons.InterfaceNotFound, $"{name}: annotation {NetworkStatusAnnotation} is not a JSON list of attachments ({e.Message})", holdings);
        }

        var matches = entries.Where(e => e.Name == attachment || (ns is not null && e.Name == ns + "/" + attachment) || e.Interface == attachment).ToList();
        if (matches.Count != 1)
        {
            var listed = string.Join(", ", entries.Select(e => $"{e.Name} ({e.Interface})"));
            return WorkloadPlacement.Unresolved(WorkloadReasons.InterfaceNotFound, matches.Count == 0
                ? $"{name}: {NetworkStatusAnnotation} has no attachment named {attachment} (network or interface); it lists {(listed.Length > 0 ? listed : "none")}"
                : $"{name}: {NetworkStatusAnnotation} has {matches.Count} attachments matching {attachment}; name the in-pod interface instead", holdings);
        }

        var mac = matches[0].Mac;
        if (!MacAddress.TryParse(mac, out var parsed, out var error) || parsed.IsMulticast || parsed.IsZero)
        {
            return WorkloadPlacement.Unresolved(WorkloadReasons.InterfaceNotFound,
                $"{name}: attachment {attachment} has no usable mac in {NetworkStatusAnnotation} ({(mac is null ? "none" : error.Length > 0 ? error : $"'{mac}' is not a unicast address")})", holdings);
        }

        return new WorkloadPlacement(holdings, parsed, null, null);
    }

    /// <summary>Every MAC the pod's network-status annotation lists (none when it is absent or malformed).</summary>
    public static IReadOnlyList<MacAddress> Macs(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Metadata?.Annotations is not { } annotations || !annotations.TryGetValue(NetworkStatusAnnotation, out var text))
        {
            return [];
        }

        try
        {
            return [.. Parse(text).Select(e => MacAddress.TryParse(e.Mac, out var mac, out _) ? mac : (MacAddress?)null).OfType<MacAddress>()];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static List<(string? Name, string? Interface, string? Mac)> Parse(string text)
    {
        using var doc = JsonDocument.Parse(text);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("the value is not a JSON array");
        }

        var list = new List<(string?, string?, string?)>();
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            list.Add((Text(item, "name"), Text(item, "interface"), Text(item, "mac")));
        }

        return list;
    }

    private static string? Text(JsonElement item, string property) =>
        item.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
