namespace BandwidthOperator.Shaping.Planning;

/// <summary>
/// What the plan made of one BridgeNetwork on this node, typed: <see cref="State"/>, the condition reason
/// (null when planned) and the message its interfaces and its node entry carry (empty when planned).
/// <see cref="Bridge"/> is the bridge its spec names (null when the spec names none).
/// </summary>
public sealed record NetworkOutcome(string Network, NetworkState State, string? Bridge, string? Reason, string Message)
{
    /// <summary>
    /// Whether the network is reported as an issue on this node (<see cref="NodePlan.NetworkIssues"/>): an
    /// invalid spec, or a bridge another network manages. Such a network has no <see cref="BridgeOutcome"/>;
    /// its node entry is not ready with <see cref="Message"/>.
    /// </summary>
    public bool IsIssue => State is NetworkState.Invalid or NetworkState.BridgeInUse;
}
