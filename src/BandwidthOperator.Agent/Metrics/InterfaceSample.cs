namespace BandwidthOperator.Agent.Metrics;

/// <summary>One interface's class on a bridge: its floor and ceiling (bits/s) and the kernel's counters for the class.</summary>
public sealed record InterfaceSample(
    string Namespace,
    string Name,
    string Network,
    string Bridge,
    int ClassId,
    ulong FloorBitsPerSecond,
    ulong CeilingBitsPerSecond,
    ulong Bytes,
    ulong Drops);
