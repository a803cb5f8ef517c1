namespace BandwidthOperator.Agent.Engine;

/// <summary>How often the kernel was asked: dumps sent (reads) and change requests sent (writes).</summary>
public interface IKernelCounters
{
    /// <summary>Dump requests (links, FDB, qdiscs, classes, filters) sent to the kernel so far.</summary>
    long KernelReads { get; }

    /// <summary>Change requests sent to the kernel so far.</summary>
    long KernelWrites { get; }
}
