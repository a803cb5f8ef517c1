namespace BandwidthOperator.Demo;

/// <summary>Every phase of a finished demo; the verdict is the last (floors) phase's.</summary>
internal sealed record DemoResult(IReadOnlyList<DemoPhaseResult> Phases, TimeSpan Elapsed)
{
    /// <summary>Every floor held in the floors phase.</summary>
    public bool FloorsHeld => Phases.Count > 0 && Phases[^1].Guests.All(g => g.FloorHeld);
}
