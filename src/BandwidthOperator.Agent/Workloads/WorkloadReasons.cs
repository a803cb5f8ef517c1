namespace BandwidthOperator.Agent.Workloads;

/// <summary>Condition reasons of target-bound InterfaceBandwidths (the README's Resources section explains each).</summary>
public static class WorkloadReasons
{
    /// <summary>The VMI or pod is not (or no longer) on any node this agent's watches see.</summary>
    public const string WorkloadNotFound = "WorkloadNotFound";

    /// <summary>The workload exists but has no node yet.</summary>
    public const string WorkloadNotScheduled = "WorkloadNotScheduled";

    /// <summary>The workload has finished (VMI Succeeded/Failed, pod Succeeded/Failed): the floor is released.</summary>
    public const string WorkloadNotRunning = "WorkloadNotRunning";

    /// <summary>The workload does not report the named interface (yet), or reports it without a usable MAC.</summary>
    public const string InterfaceNotFound = "InterfaceNotFound";

    /// <summary>The cluster does not serve VirtualMachineInstances (KubeVirt is not installed).</summary>
    public const string KubeVirtNotInstalled = "KubeVirtNotInstalled";

    /// <summary>A raw spec.macAddress claim in a namespace the BridgeNetwork does not allow raw claims from.</summary>
    public const string RawMacNotAllowed = "RawMacNotAllowed";

    /// <summary>A raw spec.macAddress claim on a MAC a workload of another namespace carries.</summary>
    public const string MacOwnedByOtherNamespace = "MacOwnedByOtherNamespace";

    /// <summary>A migration target that cannot admit the floor before the switch-over.</summary>
    public const string MigrationTargetNotAdmitted = "MigrationTargetNotAdmitted";
}
