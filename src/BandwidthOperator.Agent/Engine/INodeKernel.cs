using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>The kernel as the engine sees it: read what the planner needs, apply a plan.</summary>
public interface INodeKernel : IDisposable
{
    /// <summary>
    /// Devices, the FDBs of <paramref name="bridges"/>, the best leaf qdisc, and the tc objects on those
    /// bridges, their ports and our IFB devices.
    /// </summary>
    NodeFacts ReadFacts(IReadOnlyCollection<string> bridges);

    /// <summary>Applies operations in order; stops at the first the kernel refuses.</summary>
    KernelApplyResult Apply(IReadOnlyList<TcOperation> operations);
}
