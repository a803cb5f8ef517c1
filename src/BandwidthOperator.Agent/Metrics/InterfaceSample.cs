namespace BandwidthOperator.Agent.Metrics;

/// <summary>
/// One interface's class in one direction's tree: its floor and ceiling (bits/s) and the kernel's counters for the
/// class. <see cref="Direction"/> is <c>in</c> (the inbound tree, class <c>status.classId</c>) or <c>out</c> (the
/// outbound tree, <c>status.outboundClassId</c>); <see cref="Device"/> is the IFB device holding that tree, whose
/// class counters are read again at scrape time.
/// </summary>
public sealed record InterfaceSample(
    string Namespace,
    string Name,
    string Network,
    string Bridge,
    int ClassId,
    ulong FloorBitsPerSecond,
    ulong CeilingBitsPerSecond,
    ulong Bytes,
    ulong Drops)
{
    public const string Inbound = "in";
    public const string Outbound = "out";

    /// <summary><see cref="Inbound"/> or <see cref="Outbound"/>.</summary>
    public string Direction { get; init; } = Inbound;

    /// <summary>The IFB device the class is on (<c>bwin{bridge ifindex}</c> / <c>bwout{…}</c>), or null when unknown.</summary>
    public string? Device { get; init; }
}
