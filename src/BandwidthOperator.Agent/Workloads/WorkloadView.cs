using k8s.Models;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// What this node's watches see of the workloads: VMIs on this node or migrating to it, pods on this
/// node, and whether KubeVirt is installed. Lookups are by <c>namespace/name</c>.
/// </summary>
public sealed record WorkloadView(
    Func<string, VirtualMachineInstance?> Vmi,
    Func<string, V1Pod?> Pod,
    bool KubeVirtNotInstalled,
    IReadOnlyList<MacOwner> MacOwners);
