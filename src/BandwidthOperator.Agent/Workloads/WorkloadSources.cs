using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>Where <see cref="WorkloadCaches"/> are filled from (the API server; tests may fake them).</summary>
public sealed record WorkloadSources(
    IResourceSource<InterfaceBandwidth> Targeted,
    IResourceSource<VirtualMachineInstance> Vmis,
    IResourceSource<VirtualMachineInstance> IncomingVmis,
    IResourceSource<V1Pod> Pods);
