using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>A MAC that a workload carries, as its own object reports it (VMI status.interfaces, pod network-status).</summary>
public sealed record MacOwner(MacAddress Mac, string Namespace, string Owner);
