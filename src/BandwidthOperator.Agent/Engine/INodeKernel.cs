using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>The kernel as the engine sees it: read what the planner needs, apply a plan.</summary>
public interface INodeKernel : IDisposable
{
    /// <summary>
    /// Devices, the FDBs of <paramref name="bridges"/>, the best leaf qdisc, and the tc objects on every
    /// bridge of the node, their ports and their IFB devices (what a whole-node plan needs).
    /// </summary>
    NodeFacts ReadFacts(IReadOnlyCollection<string> bridges);

    /// <summary>
    /// As <see cref="ReadFacts(IReadOnlyCollection{string})"/>; with <paramref name="wholeNode"/> false, the tc
    /// objects of <paramref name="bridges"/> only (their ports and IFBs): what a plan scoped to those bridges needs.
    /// </summary>
    NodeFacts ReadFacts(IReadOnlyCollection<string> bridges, bool wholeNode) => ReadFacts(bridges);

    /// <summary>
    /// The facts after an <see cref="Apply"/> that succeeded, as <see cref="ReadFacts(IReadOnlyCollection{string}, bool)"/>.
    /// <paramref name="readBack"/> is set only when these facts are <paramref name="before"/> (the facts the pass was
    /// planned on) changed by nothing but the objects the pass wrote, each read back from the kernel: the same devices
    /// and forwarding databases, no change notified for these bridges in between. It then holds those objects as the
    /// kernel returned them, by key. Otherwise it is null, and only a plan made on the facts can tell whether the
    /// kernel now matches (a kernel read afresh every time never knows).
    /// </summary>
    NodeFacts ReadBackFacts(IReadOnlyCollection<string> bridges, bool wholeNode, NodeFacts before, out IReadOnlyDictionary<TcObjectKey, TcObject>? readBack)
    {
        readBack = null;
        return ReadFacts(bridges, wholeNode);
    }

    /// <summary>Applies operations in order; stops at the first the kernel refuses.</summary>
    KernelApplyResult Apply(IReadOnlyList<TcOperation> operations);

    /// <summary>
    /// Forgets what is known of <paramref name="bridges"/>, so the next read asks the kernel again
    /// (a cached view, <see cref="CachingNodeKernel"/>; a kernel read every time has nothing to forget).
    /// </summary>
    void Refresh(IReadOnlyCollection<string> bridges)
    {
    }
}
