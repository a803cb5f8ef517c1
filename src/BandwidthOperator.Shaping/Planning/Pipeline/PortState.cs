using BandwidthOperator.Shaping.Ports;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>One port of a bridge: its role and, for a guest, what holds its hook (null: nothing, or ours).</summary>
internal readonly record struct PortState(DeviceFacts Device, PortRole Role, string? Holder)
{
    /// <summary>Whether traffic through the port can pass the trees: a guest whose hook is free or ours.</summary>
    public bool Passable => Role == PortRole.Guest && Holder is null;
}
