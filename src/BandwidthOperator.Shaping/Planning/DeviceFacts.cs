namespace BandwidthOperator.Shaping.Planning;

/// <summary>A network device on the node: its index, whether it is a bridge, and the bridge it is a port of.</summary>
public sealed record DeviceFacts(string Name, int IfIndex, bool IsBridge, string? Master);
