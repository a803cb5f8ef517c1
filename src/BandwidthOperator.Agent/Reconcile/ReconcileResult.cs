namespace BandwidthOperator.Agent.Reconcile;

/// <summary>
/// What one reconcile of one work-queue key did (docs/architecture.md, "The agent loop"): whether the
/// kernel and the statuses are now as desired, when to look at the key again although it succeeded (a
/// status held back until the caches settle), and what it changed. The worker, not the reconciler,
/// decides about requeues and backoff from it.
/// </summary>
/// <param name="Key">The key reconciled (a bridge, <c>network:NAME</c>, or <see cref="ReconcileKeys.NodeResources"/>).</param>
/// <param name="Succeeded">The kernel and the statuses are as desired.</param>
public sealed record ReconcileResult(string Key, bool Succeeded)
{
    /// <summary>Look at the key again after this delay (set also on success: a status was held back).</summary>
    public TimeSpan? RequeueAfter { get; init; }

    /// <summary>Why it failed, on one line (the worker logs it with the attempt and the next try); null on success.</summary>
    public string? Failure { get; init; }

    /// <summary>The bridges the pass planned (read from the kernel, diffed, reported): one for a bridge key; every one in whole-node mode.</summary>
    public IReadOnlyList<string> BridgesPlanned { get; init; } = [];

    /// <summary>InterfaceBandwidths (<c>namespace/name</c>) whose class IDs were written, before the kernel was changed.</summary>
    public IReadOnlyList<string> ClassIdsWritten { get; init; } = [];

    /// <summary>tc operations the kernel carried out.</summary>
    public int KernelOperations { get; init; }

    /// <summary>Netlink requests sent to the kernel for them.</summary>
    public int KernelWrites { get; init; }

    /// <summary>InterfaceBandwidths (<c>namespace/name</c>) whose status (conditions, this node's entry) was written.</summary>
    public IReadOnlyList<string> StatusesWritten { get; init; } = [];

    /// <summary>BridgeNetworks whose entry for this node in <c>status.nodes</c> was written or removed.</summary>
    public IReadOnlyList<string> NetworkEntriesWritten { get; init; } = [];

    /// <summary>Whether this node's floor resources on its Node were patched.</summary>
    public bool NodeResourcesWritten { get; init; }

    /// <summary>Whether the pass changed nothing at all (no API write, no kernel write).</summary>
    public bool ChangedNothing => ClassIdsWritten.Count == 0 && KernelOperations == 0 && StatusesWritten.Count == 0 && NetworkEntriesWritten.Count == 0 && !NodeResourcesWritten;
}
