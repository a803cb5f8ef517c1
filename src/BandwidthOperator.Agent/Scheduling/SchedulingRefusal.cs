namespace BandwidthOperator.Agent.Scheduling;

/// <summary>A network that asks to be schedulable but cannot be advertised, and why.</summary>
public sealed record SchedulingRefusal(string Network, string Message);
