using System.Text.Json.Nodes;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>
/// Pure: the JSON patch (RFC 6902) of <c>nodes/NAME/status</c> that makes the Node's floor resources
/// what <see cref="FloorCapacity"/> computed — in <c>status.capacity</c> and <c>status.allocatable</c>:
/// <c>add</c> of a missing resource, <c>replace</c> of a changed one, <c>remove</c> of one of ours
/// (<see cref="FloorResourceName.IsOurs"/>) that should not be there. A <c>/</c> in a resource name is
/// written <c>~1</c> in the path. A map the Node lacks is added whole (an <c>add</c> below a missing map
/// is refused by the API server). Resources that are not ours are never touched. Empty: nothing to do.
/// Equivalent to: <c>kubectl patch node NAME --subresource=status --type=json -p '[…]'</c>.
/// </summary>
public static class NodeFloorPatch
{
    public static JsonArray Build(
        IReadOnlyDictionary<string, string>? capacity,
        IReadOnlyDictionary<string, string>? allocatable,
        IReadOnlyDictionary<string, BitRate> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var ops = new JsonArray();
        AddOps(ops, "capacity", capacity, desired);
        AddOps(ops, "allocatable", allocatable, desired);
        return ops;
    }

    /// <summary>The floor resources a capacity map carries now (ours only), by name.</summary>
    public static IReadOnlyDictionary<string, string> Ours(IReadOnlyDictionary<string, string>? map) =>
        (map ?? new Dictionary<string, string>()).Where(kv => FloorResourceName.IsOurs(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static void AddOps(JsonArray ops, string field, IReadOnlyDictionary<string, string>? current, IReadOnlyDictionary<string, BitRate> desired)
    {
        if (current is null)
        {
            if (desired.Count > 0)
            {
                var whole = new JsonObject();
                foreach (var (name, value) in desired.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    whole[name] = value.ToString();
                }

                ops.Add(Op("add", $"/status/{field}", whole));
            }

            return;
        }

        foreach (var (name, value) in desired.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = $"/status/{field}/{Escape(name)}";
            if (!current.TryGetValue(name, out var now))
            {
                ops.Add(Op("add", path, value.ToString()));
            }
            else if (!BitRate.TryParse(now, out var rate, out _) || rate != value || now != value.ToString())
            {
                ops.Add(Op("replace", path, value.ToString()));
            }
        }

        foreach (var name in current.Keys.Where(k => FloorResourceName.IsOurs(k) && !desired.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            ops.Add(new JsonObject { ["op"] = "remove", ["path"] = $"/status/{field}/{Escape(name)}" });
        }
    }

    private static JsonObject Op(string op, string path, JsonNode value) => new() { ["op"] = op, ["path"] = path, ["value"] = value };
}
