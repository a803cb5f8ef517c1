namespace BandwidthOperator.Demo;

/// <summary>One phase's outcome: per guest (in the demo's order) what it got; <see cref="Start"/> is when its traffic began, from the first phase's start.</summary>
internal sealed record DemoPhaseResult(DemoPhase Phase, double Start, double Length, IReadOnlyList<DemoGuestResult> Guests);
