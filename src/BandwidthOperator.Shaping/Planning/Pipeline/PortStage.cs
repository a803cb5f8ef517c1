using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Ports;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 3c, ports: each port's role (<see cref="PortRoles"/>) and, for a guest, whether another tool holds
/// its hook; explicit roles (<c>spec.ports</c>) that name no port of the bridge are issues. Pure.
/// </summary>
internal static class PortStage
{
    public static PortTable Resolve(NetworkSettings net, KernelIndex kernel, string node)
    {
        var bridge = net.Bridge;
        var ports = kernel.PortsOf(bridge);
        var byName = new List<PortState>(ports.Count);
        var states = new Dictionary<string, PortState>(ports.Count, StringComparer.Ordinal);
        foreach (var d in ports)
        {
            var role = PortRoles.RoleOf(d, net);
            var holder = role == PortRole.Guest ? KernelOwnership.HookHolder(d.Name, kernel.On(d.Name), kernel.ForeignIngressFilter(d.Name)) : null;
            var state = new PortState(d, role, holder);
            states[d.Name] = state;
            byName.Add(state);
        }

        List<string>? issues = null;
        foreach (var (field, names) in new[] { ("spec.ports.uplinks", net.Uplinks), ("spec.ports.guests", net.Guests) })
        {
            foreach (var name in names ?? [])
            {
                if (!states.ContainsKey(name))
                {
                    (issues ??= []).Add($"BridgeNetwork {net.Name}: {field}: {name} is not a port of bridge {bridge} on node {node}");
                }
            }
        }

        return new PortTable(bridge, states, byName, issues ?? (IReadOnlyList<string>)[]);
    }
}
