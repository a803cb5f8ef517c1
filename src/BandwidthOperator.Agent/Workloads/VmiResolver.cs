using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// Pure: a VirtualMachineInstance and the name of one of its interfaces → the nodes that should hold
/// the floor and the interface's MAC.
/// <list type="bullet">
/// <item>Node: <c>status.nodeName</c>, else the label <c>kubevirt.io/nodeName</c>.</item>
/// <item>MAC: <c>status.interfaces[]</c> entry whose <c>name</c> is the KubeVirt interface name.</item>
/// <item>Migration (<c>status.migrationState</c>): under way (not completed, not failed) → the source keeps
/// the floor and the target builds it; completed → only the target; failed → only the source.</item>
/// <item>Succeeded or Failed phase → runs nowhere (the floor is released).</item>
/// </list>
/// </summary>
public static class VmiResolver
{
    public static WorkloadPlacement Resolve(VirtualMachineInstance vmi, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(vmi);
        var status = vmi.Status;
        var name = $"VirtualMachineInstance {vmi.Metadata.NamespaceProperty}/{vmi.Metadata.Name}";
        if (status?.Phase is "Succeeded" or "Failed")
        {
            return WorkloadPlacement.Unresolved(WorkloadReasons.WorkloadNotRunning, $"{name} is {status.Phase}");
        }

        var holdings = Holdings(vmi);
        if (holdings.Count == 0)
        {
            return WorkloadPlacement.Unresolved(WorkloadReasons.WorkloadNotScheduled, $"{name} has no node yet (status.nodeName)");
        }

        var entry = status?.Interfaces?.FirstOrDefault(i => i.Name == interfaceName);
        if (entry is null)
        {
            var known = status?.Interfaces?.Select(i => i.Name).Where(n => !string.IsNullOrEmpty(n)).ToList() ?? [];
            return WorkloadPlacement.Unresolved(WorkloadReasons.InterfaceNotFound,
                $"{name} reports no interface {interfaceName} in status.interfaces" + (known.Count > 0 ? $" (it has {string.Join(", ", known)})" : " (KubeVirt has not reported its interfaces yet)"),
                holdings);
        }

        if (!MacAddress.TryParse(entry.Mac, out var mac, out var error) || mac.IsMulticast || mac.IsZero)
        {
            return WorkloadPlacement.Unresolved(WorkloadReasons.InterfaceNotFound,
                $"{name} interface {interfaceName} has no usable MAC in status.interfaces ({(entry.Mac is null ? "none" : error.Length > 0 ? error : $"'{entry.Mac}' is not a unicast address")})",
                holdings);
        }

        return new WorkloadPlacement(holdings, mac, null, null);
    }

    private static List<NodeHolding> Holdings(VirtualMachineInstance vmi)
    {
        var status = vmi.Status;
        var labels = vmi.Metadata.Labels;
        var running = !string.IsNullOrEmpty(status?.NodeName) ? status.NodeName
            : labels is not null && labels.TryGetValue(VirtualMachineInstance.NodeNameLabel, out var label) && !string.IsNullOrEmpty(label) ? label
            : null;
        var migration = status?.MigrationState;
        if (migration is { TargetNode: { Length: > 0 } target } && migration.Failed != true)
        {
            if (migration.Completed == true)
            {
                return [new NodeHolding(target, WorkloadRole.Running)];
            }

            var source = !string.IsNullOrEmpty(migration.SourceNode) ? migration.SourceNode : running;
            return source is null || source == target
                ? [new NodeHolding(target, WorkloadRole.MigrationTarget)]
                : [new NodeHolding(source, WorkloadRole.MigrationSource), new NodeHolding(target, WorkloadRole.MigrationTarget)];
        }

        if (migration is { Failed: true, SourceNode: { Length: > 0 } back })
        {
            return [new NodeHolding(back, WorkloadRole.Running)];
        }

        return running is null ? [] : [new NodeHolding(running, WorkloadRole.Running)];
    }

    /// <summary>Whether <paramref name="kind"/> is the VMI kind of <see cref="InterfaceTarget"/>.</summary>
    public static bool IsVmi(string? kind) => kind == InterfaceTarget.VirtualMachineInstanceKind;
}
