namespace BandwidthOperator.Shaping.Tc;

/// <summary>
/// What the kernel holds on a set of devices, as dumped: qdiscs, HTB classes, u32 filters (and which
/// IFB devices exist), plus counters keyed by object. Objects the agent does not understand appear
/// as <see cref="OtherQdiscOptions"/> qdiscs or are listed in <see cref="ForeignObjects"/>.
/// </summary>
public sealed record TcSnapshot(
    IReadOnlyList<TcObject> Objects,
    IReadOnlyDictionary<TcObjectKey, TcCounters> Counters,
    IReadOnlyList<string> ForeignObjects)
{
    public static TcSnapshot Empty { get; } = new([], new Dictionary<TcObjectKey, TcCounters>(), []);
}
