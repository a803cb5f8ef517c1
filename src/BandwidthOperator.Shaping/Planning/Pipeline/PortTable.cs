using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>The port stage's result: each port of the bridge (by name) and its state, and the explicit roles naming no port.</summary>
internal sealed record PortTable(string Bridge, IReadOnlyDictionary<string, PortState> Ports, IReadOnlyList<PortState> ByName, IReadOnlyList<string> Issues)
{
    /// <summary>
    /// Whether an interface can have a class: its spec.device (if any) is a port of the bridge, and the
    /// port its traffic takes (spec.device, else the FDB's) is unknown or passable.
    /// </summary>
    public bool CanShape(InterfaceSettings s, NodeFacts facts)
    {
        if (s.Device is not null && !(facts.Devices.TryGetValue(s.Device, out var d) && d.Master == Bridge))
        {
            return false;
        }

        return (s.Device ?? facts.PortOf(Bridge, s.Mac)) is not { } port || !Ports.TryGetValue(port, out var state) || state.Passable;
    }
}
