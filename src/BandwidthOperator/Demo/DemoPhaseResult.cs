namespace BandwidthOperator.Demo;

/// <summary>
/// One part of a phase's outcome (each phase runs inbound, then outbound): per guest (in the demo's order)
/// what it got; <see cref="Start"/> is when this part's traffic began, from the first phase's start.
/// </summary>
internal sealed record DemoPhaseResult(DemoPhase Phase, DemoDirection Direction, double Start, double Length, IReadOnlyList<DemoGuestResult> Guests);
