using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>How far a plan got: operations done, kernel writes sent, and the refused operation with the kernel's message.</summary>
public sealed record KernelApplyResult(int Applied, int KernelWrites, TcOperation? Failed, string? Error)
{
    public bool Succeeded => Failed is null && Error is null;
}
