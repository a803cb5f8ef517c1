using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// The agent's caches for target-bound InterfaceBandwidths: the resources themselves (every
/// target-bound one: <c>fieldSelector=spec.nodeName=</c>, which an absent field matches), the VMIs on
/// this node (<c>kubevirt.io/nodeName=NODE</c>) and migrating to it
/// (<c>kubevirt.io/migrationTargetNodeName=NODE</c>), the pods on this node (<c>spec.nodeName=NODE</c>),
/// and whether KubeVirt is installed.
/// </summary>
public sealed class WorkloadCaches
{
    public ResourceStore<InterfaceBandwidth> Targeted { get; } = new();

    public ResourceStore<VirtualMachineInstance> Vmis { get; } = new();

    public ResourceStore<VirtualMachineInstance> IncomingVmis { get; } = new();

    public ResourceStore<V1Pod> Pods { get; } = new();

    public KubeVirtPresence KubeVirt { get; } = new();

    /// <summary>A snapshot for one reconcile.</summary>
    public WorkloadView View()
    {
        var owners = new List<MacOwner>();
        foreach (var vmi in Vmis.List().Concat(IncomingVmis.List()))
        {
            foreach (var i in vmi.Status?.Interfaces ?? [])
            {
                if (MacAddress.TryParse(i.Mac, out var mac, out _))
                {
                    owners.Add(new MacOwner(mac, vmi.Metadata.NamespaceProperty ?? string.Empty, $"VirtualMachineInstance {vmi.Metadata.NamespaceProperty}/{vmi.Metadata.Name}"));
                }
            }
        }

        foreach (var pod in Pods.List())
        {
            foreach (var mac in PodResolver.Macs(pod))
            {
                owners.Add(new MacOwner(mac, pod.Metadata.NamespaceProperty ?? string.Empty, $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}"));
            }
        }

        return new WorkloadView(
            key => Newest(Vmis.Get(key), IncomingVmis.Get(key)),
            Pods.Get,
            KubeVirt.NotInstalled,
            owners);
    }

    private static VirtualMachineInstance? Newest(VirtualMachineInstance? a, VirtualMachineInstance? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        return long.TryParse(a.Metadata.ResourceVersion, out var ra) && long.TryParse(b.Metadata.ResourceVersion, out var rb) && rb > ra ? b : a;
    }
}
