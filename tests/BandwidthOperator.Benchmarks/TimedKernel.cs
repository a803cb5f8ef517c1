using System.Diagnostics;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Benchmarks;

/// <summary>Passes everything to <paramref name="inner"/> and adds up the time spent reading facts and applying.</summary>
internal sealed class TimedKernel(INodeKernel inner) : INodeKernel
{
    public double ReadMs { get; private set; }

    public double ApplyMs { get; private set; }

    /// <summary>Times the engine asked to read a bridge again (a read-back that did not match yet: it sleeps before each).</summary>
    public int Refreshes { get; private set; }

    public void Reset() => (ReadMs, ApplyMs, Refreshes) = (0, 0, 0);

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges) => ReadFacts(bridges, wholeNode: true);

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges, bool wholeNode)
    {
        var sw = Stopwatch.StartNew();
        var facts = inner.ReadFacts(bridges, wholeNode);
        ReadMs += sw.Elapsed.TotalMilliseconds;
        return facts;
    }

    public NodeFacts ReadBackFacts(IReadOnlyCollection<string> bridges, bool wholeNode, NodeFacts before, out IReadOnlyDictionary<TcObjectKey, TcObject>? readBack)
    {
        var sw = Stopwatch.StartNew();
        var facts = inner.ReadBackFacts(bridges, wholeNode, before, out readBack);
        ReadMs += sw.Elapsed.TotalMilliseconds;
        return facts;
    }

    public KernelApplyResult Apply(IReadOnlyList<TcOperation> operations)
    {
        var sw = Stopwatch.StartNew();
        var result = inner.Apply(operations);
        ApplyMs += sw.Elapsed.TotalMilliseconds;
        return result;
    }

    public void Refresh(IReadOnlyCollection<string> bridges)
    {
        Refreshes++;
        inner.Refresh(bridges);
    }

    public void Dispose() => inner.Dispose();
}
