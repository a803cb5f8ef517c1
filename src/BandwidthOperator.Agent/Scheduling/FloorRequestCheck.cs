using System.Globalization;
using System.Text;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>
/// Pure: whether a workload asked the scheduler for the floors its InterfaceBandwidths claim on schedulable
/// networks. The scheduler only keeps room for what a workload requests (<c>resources.limits</c> of a pod's
/// containers, <c>spec.domain.resources.limits</c> of a VMI — KubeVirt copies it to the launcher pod); a floor
/// the workload did not request would take room the scheduler still offers to others. So each schedulable
/// resource's total claimed floor (all InterfaceBandwidths naming that workload) must be at most what the
/// workload requests of it. The refusal says exactly what to add, as YAML.
/// </summary>
public static class FloorRequestCheck
{
    /// <param name="workloadKind"><c>Pod</c> or <c>VirtualMachineInstance</c>.</param>
    /// <param name="claimed">Extended resource → the sum of floors the workload's InterfaceBandwidths claim on it (schedulable directions only).</param>
    /// <param name="requested">Extended resource → what the workload requests (<see cref="Requested"/>).</param>
    /// <returns>Null when every claimed floor is requested; else the message of the refusal.</returns>
    public static string? Problem(string workloadKind, string workloadName, IReadOnlyDictionary<string, BitRate> claimed, IReadOnlyDictionary<string, BitRate> requested)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(requested);
        var missing = claimed
            .Where(kv => kv.Value > BitRate.Zero && requested.GetValueOrDefault(kv.Key) < kv.Value)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var what = string.Join(", ", missing.Select(kv =>
            $"{kv.Value} of {kv.Key} (it requests {requested.GetValueOrDefault(kv.Key)})"));
        var vmi = workloadKind == "VirtualMachineInstance";
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"the floor is scheduled as an extended resource and {workloadKind} {workloadName} does not request it: it needs {what}. ");
        text.Append(vmi
            ? "Add to the VirtualMachineInstance (or its VirtualMachine's template), then restart it: "
            : "Add to one of the pod's containers (a pod's resources cannot change while it runs: recreate it): ");
        text.Append(Snippet(vmi, missing.Select(kv => (kv.Key, kv.Value))));
        return text.ToString();
    }

    /// <summary>The YAML to add, one line per resource (flow style keeps it on one line in a condition message).</summary>
    public static string Snippet(bool vmi, IEnumerable<(string Resource, BitRate Floor)> resources)
    {
        var limits = string.Join(", ", resources.Select(r => $"{r.Resource}: {r.Floor}"));
        return vmi
            ? $"spec: {{domain: {{resources: {{limits: {{{limits}}}}}}}}}"
            : $"resources: {{limits: {{{limits}}}}}";
    }

    /// <summary>
    /// What a workload requests of our resources: the larger of request and limit per container (for an
    /// extended resource the API server makes them equal), summed over containers (pods) — or the VMI's
    /// <c>spec.domain.resources</c>. Entries that are not ours or not quantities are ignored.
    /// </summary>
    public static IReadOnlyDictionary<string, BitRate> Requested(IEnumerable<(IDictionary<string, string>? Requests, IDictionary<string, string>? Limits)> containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var total = new Dictionary<string, BitRate>(StringComparer.Ordinal);
        foreach (var (requests, limits) in containers)
        {
            var names = (requests?.Keys ?? []).Concat(limits?.Keys ?? []).Where(FloorResourceName.IsOurs).Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var amount = BitRate.Max(Parse(requests, name), Parse(limits, name));
                total[name] = total.GetValueOrDefault(name) + amount;
            }
        }

        return total;
    }

    private static BitRate Parse(IDictionary<string, string>? map, string name) =>
        map is not null && map.TryGetValue(name, out var text) && BitRate.TryParse(text, out var rate, out _) ? rate : BitRate.Zero;
}
