using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>Discovery documents (52, 53), for the resources the double serves.</summary>
internal static class Discovery
{
    public static JsonObject? For(string path, string serverAddress, IReadOnlyList<ResourceType> served)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["version"] => new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "34",
                ["gitVersion"] = "v1.34.2",
                ["gitCommit"] = "0000000000000000000000000000000000000000",
                ["gitTreeState"] = "clean",
                ["buildDate"] = "2026-11-25T00:00:00Z",
                ["goVersion"] = "go1.24.9",
                ["compiler"] = "gc",
                ["platform"] = "linux/amd64",
            },
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
            },
            ["api", "v1"] => ResourceList(string.Empty, "v1", served),
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray([.. Groups(served).Select(g => (JsonNode)Group(g.Group, g.Version))]),
            },
            ["apis", var group] => Groups(served).Any(g => g.Group == group) ? Group(group, Groups(served).First(g => g.Group == group).Version) : null,
            ["apis", var group, var version] => ResourceList(group, version, served),
            _ => null,
        };
    }

    private static IEnumerable<(string Group, string Version)> Groups(IReadOnlyList<ResourceType> served) =>
        served.Where(t => t.Group.Length > 0).Select(t => (t.Group, t.Version)).Distinct();

    private static JsonObject Group(string group, string version)
    {
        JsonObject GroupVersion() => new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(GroupVersion()),
            ["preferredVersion"] = GroupVersion(),
        };
    }

    private static JsonObject ResourceList(string group, string version, IReadOnlyList<ResourceType> served)
    {
        var resources = new JsonArray();
        foreach (var type in served.Where(t => t.Group == group && t.Version == version))
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => (JsonNode)s)]);
            }

            if (type.StorageVersionHash is not null)
            {
                resource["storageVersionHash"] = type.StorageVersionHash;
            }

            resources.Add(resource);
            if (type.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{type.Plural}/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
