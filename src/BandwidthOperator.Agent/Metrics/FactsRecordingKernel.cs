using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Metrics;

/// <summary>An <see cref="INodeKernel"/> that remembers the last facts it read (the read-back after applying), for counters in /metrics.</summary>
public sealed class FactsRecordingKernel(INodeKernel inner) : INodeKernel, IClassCounterReader
{
    private volatile NodeFacts? _last;

    public INodeKernel Inner => inner;

    public TcSnapshot? LastSnapshot => _last?.Observed;

    /// <summary>The last facts read (devices, forwarding databases), or null before the first read.</summary>
    public NodeFacts? LastFacts => _last;

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges) => ReadFacts(bridges, wholeNode: true);

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges, bool wholeNode)
    {
        var facts = inner.ReadFacts(bridges, wholeNode);
        _last = facts;
        return facts;
    }

    public NodeFacts ReadBackFacts(IReadOnlyCollection<string> bridges, bool wholeNode, NodeFacts before, out IReadOnlyDictionary<TcObjectKey, TcObject>? readBack)
    {
        var facts = inner.ReadBackFacts(bridges, wholeNode, before, out readBack);
        _last = facts;
        return facts;
    }
    /// <summary>The classes of <paramref name="devices"/> with counters, read now (empty when the inner kernel cannot).</summary>
    public TcSnapshot ReadClassCounters(IReadOnlyCollection<string> devices) =>
        inner is IClassCounterReader reader ? reader.ReadClassCounters(devices) : TcSnapshot.Empty;

    public KernelApplyResult Apply(IReadOnlyList<TcOperation> operations) => inner.Apply(operations);

    public void Refresh(IReadOnlyCollection<string> bridges) => inner.Refresh(bridges);

    public void Dispose() => inner.Dispose();
}
