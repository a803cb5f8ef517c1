using BandwidthOperator.Shaping.Admission;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// The admission stage's result for one direction: per accepted interface (by position) the decision on its
/// floor — null when it asks for none, cannot have a class now, or the network has no capacity in that direction.
/// </summary>
internal sealed record Admission(IReadOnlyList<FloorDecision?> Decisions);
