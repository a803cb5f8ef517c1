using System.Text.Json.Nodes;

namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>A ClusterRole's rules flattened to "group/resource:verb" grants, so two renderings compare as sets.</summary>
internal static class RbacRules
{
    public static IReadOnlyList<string> Grants(JsonObject role)
    {
        var grants = new List<string>();
        foreach (var rule in role["rules"]!.AsArray().OfType<JsonObject>())
        {
            rule["resourceNames"].ShouldBeNull("no rule is limited by resource names");
            rule["nonResourceURLs"].ShouldBeNull("no non-resource URLs");
            foreach (var group in Strings(rule["apiGroups"]))
            {
                foreach (var resource in Strings(rule["resources"]))
                {
                    foreach (var verb in Strings(rule["verbs"]))
                    {
                        group.ShouldNotBe("*");
                        resource.ShouldNotBe("*");
                        verb.ShouldNotBe("*");
                        resource.ShouldNotBe("secrets");
                        grants.Add($"{group}/{resource}:{verb}");
                    }
                }
            }
        }

        grants.ShouldBeUnique();
        return grants;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node?.AsArray().Select(n => (string)n!) ?? [];
}
