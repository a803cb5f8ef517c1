namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// The network stage's result: every network by name, the planned ones by name (ordered), which network
/// manages each bridge, the bridges left as they are (their network is invalid, or claims a bridge another
/// network manages), the issues to report, and the outcomes in scope.
/// </summary>
internal sealed record NetworkTable(
    IReadOnlyDictionary<string, NetworkEntry> ByName,
    IReadOnlyList<NetworkEntry> Planned,
    IReadOnlyDictionary<string, string> BridgeOwner,
    IReadOnlySet<string> ProtectedBridges,
    IReadOnlyList<string> Issues,
    IReadOnlyList<NetworkOutcome> Outcomes);
