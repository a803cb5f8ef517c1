namespace BandwidthOperator.Shaping.Planning;

/// <summary>A condition's value as the planner decided it.</summary>
public sealed record ConditionOutcome(bool Status, string Reason, string Message);
