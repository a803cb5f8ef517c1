namespace BandwidthOperator.Demo;

/// <summary>Every part (inbound, outbound) of every phase of a finished demo; the verdict is the last (floors) phase's.</summary>
internal sealed record DemoResult(IReadOnlyList<DemoPhaseResult> Phases, TimeSpan Elapsed)
{
    /// <summary>The parts of the last (floors) phase: its inbound and its outbound measurements.</summary>
    public IReadOnlyList<DemoPhaseResult> FloorsPhase => Phases.Count == 0 ? [] : [.. Phases.Where(p => p.Phase == Phases[^1].Phase)];

    /// <summary>Every floor, inbound and outbound, held in the floors phase (and both directions were measured).</summary>
    public bool FloorsHeld =>
        FloorsPhase.Select(p => p.Direction).Distinct().Count() == 2 && FloorsPhase.All(p => p.Guests.All(g => g.FloorHeld));
}
