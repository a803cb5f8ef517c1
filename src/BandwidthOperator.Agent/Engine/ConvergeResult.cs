using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// One pass of the engine: the plan, what applying it did, and the outcomes as they stand after the
/// kernel was read back (an interface whose objects the kernel refused is not Ready).
/// </summary>
public sealed record ConvergeResult(
    NodePlan Plan,
    KernelApplyResult? Applied,
    IReadOnlyList<InterfaceOutcome> Interfaces,
    IReadOnlyList<BridgeOutcome> Bridges,
    int RemainingOperations)
{
    /// <summary>What still differed after the read-back (empty when converged), for error messages.</summary>
    public IReadOnlyList<Shaping.Tc.TcOperation> Remaining { get; init; } = [];

    public bool Converged => RemainingOperations == 0 && (Applied?.Succeeded ?? true);
}
