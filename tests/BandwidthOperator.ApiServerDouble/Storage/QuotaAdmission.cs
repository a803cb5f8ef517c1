using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble.Http;

namespace BandwidthOperator.ApiServerDouble.Storage;

/// <summary>
/// Extended resources in pods and the ResourceQuota admission plugin, as far as transcripts 78–84 show:
/// an extended resource's request defaults to its limit (78) and must equal it (79); a quota is enforced
/// only for what its <c>status.hard</c> lists (81: empty until the quota controller fills it); a pod whose
/// <c>requests.NAME</c> would take <c>status.used</c> past <c>status.hard</c> is refused with 403 (84),
/// otherwise admission adds it to <c>status.used</c>.
/// </summary>
internal static class QuotaAdmission
{
    public static void DefaultRequests(JsonObject pod)
    {
        foreach (var resources in Resources(pod))
        {
            if (resources["limits"] is not JsonObject limits)
            {
                continue;
            }

            foreach (var (name, value) in limits)
            {
                if (!Defaults.IsExtendedResource(name))
                {
                    continue;
                }

                var requests = resources["requests"] as JsonObject ?? [];
                resources["requests"] = requests;
                if (!requests.ContainsKey(name))
                {
                    requests[name] = value?.DeepClone();
                }
            }
        }
    }

    /// <summary>Transcript 79: an extended resource's request must equal its limit.</summary>
    public static IReadOnlyList<(string Field, string Reason, string Message)> PodProblems(JsonObject pod)
    {
        var causes = new List<(string, string, string)>();
        var index = 0;
        foreach (var resources in Resources(pod))
        {
            if (resources["requests"] is JsonObject requests)
            {
                foreach (var (name, value) in requests)
                {
                    var request = (string?)value;
                    var limit = (string?)resources["limits"]?[name];
                    if (Defaults.IsExtendedResource(name) && request is not null && limit is not null && Defaults.Nanos(request) != Defaults.Nanos(limit))
                    {
                        causes.Add(($"spec.containers[{index}].resources.requests", "FieldValueInvalid",
                            $"Invalid value: \"{Defaults.CanonicalQuantity(request)}\": must be equal to {name} limit of {Defaults.CanonicalQuantity(limit)}"));
                    }
                }
            }

            index++;
        }

        return causes;
    }

    /// <summary>Checks <paramref name="pod"/> against the namespace's quotas; returns each quota with its new <c>status.used</c>, or throws 403 (84).</summary>
    public static IReadOnlyList<(string Key, JsonObject Before, JsonObject After)> Admit(JsonObject pod, IEnumerable<(string Key, JsonObject Quota)> quotas)
    {
        var requested = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var resources in Resources(pod))
        {
            foreach (var (name, value) in resources["requests"] as JsonObject ?? [])
            {
                if ((string?)value is { } text && Defaults.Nanos(text) is { } nanos)
                {
                    requested["requests." + name] = requested.GetValueOrDefault("requests." + name) + nanos;
                }
            }
        }

        var updates = new List<(string, JsonObject, JsonObject)>();
        foreach (var (key, quota) in quotas)
        {
            if (quota["status"]?["hard"] is not JsonObject hard)
            {
                continue;
            }

            var after = quota.DeepClone().AsObject();
            var used = after["status"]!["used"] as JsonObject ?? [];
            after["status"]!["used"] = used;
            var changed = false;
            foreach (var (name, limitNode) in hard)
            {
                if (!requested.TryGetValue(name, out var want) || (string?)limitNode is not { } limitText || Defaults.Nanos(limitText) is not { } limit)
                {
                    continue;
                }

                var now = (string?)used[name] is { } usedText && Defaults.Nanos(usedText) is { } u ? u : BigInteger.Zero;
                if (now + want > limit)
                {
                    var podName = (string?)pod["metadata"]?["name"] ?? string.Empty;
                    throw new ApiError(403, "Forbidden",
                        $"pods \"{podName}\" is forbidden: exceeded quota: {(string?)quota["metadata"]?["name"]}, requested: {name}={Format(want)}, used: {name}={Format(now)}, limited: {name}={Format(limit)}",
                        new JsonObject { ["name"] = podName, ["kind"] = "pods" });
                }

                used[name] = Format(now + want);
                changed = true;
            }

            if (changed)
            {
                updates.Add((key, quota, after));
            }
        }

        return updates;
    }

    private static string Format(BigInteger nanos) => Defaults.CanonicalQuantity(
        nanos % 1_000_000_000 == 0 ? (nanos / 1_000_000_000).ToString(CultureInfo.InvariantCulture) : (nanos / 1_000_000).ToString(CultureInfo.InvariantCulture) + "m");

    private static IEnumerable<JsonObject> Resources(JsonObject pod)
    {
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in pod["spec"]?[list] as JsonArray ?? [])
            {
                if (container is JsonObject c)
                {
                    var resources = c["resources"] as JsonObject ?? [];
                    c["resources"] = resources;
                    yield return resources;
                }
            }
        }
    }
}
