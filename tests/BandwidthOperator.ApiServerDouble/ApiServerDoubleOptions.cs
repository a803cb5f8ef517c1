namespace BandwidthOperator.ApiServerDouble;

/// <summary>Settings of a <see cref="KubeApiServerDouble"/>.</summary>
public sealed class ApiServerDoubleOptions
{
    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many events are kept for watches from an older resourceVersion; older RVs get 410 Expired.</summary>
    public int RetainedEvents { get; init; } = 1000;

    /// <summary>The resourceVersion counter's start (the first write gets the next value).</summary>
    public long InitialResourceVersion { get; init; } = 100;

    /// <summary>Seed of the random numbers that decide fractional faults.</summary>
    public int FaultSeed { get; init; } = 1;

    /// <summary>Clock for timestamps (creationTimestamp, deletionTimestamp, managedFields, the request log). Watch timeouts, bookmarks and injected latency use real time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Folder of the CRDs to validate against; default the repository's <c>crds/</c>.</summary>
    public string? CrdDirectory { get; init; }

    /// <summary>Whether kubevirt.io/v1 VirtualMachineInstances are served from the start (else after <see cref="KubeApiServerDouble.InstallKubeVirt"/>).</summary>
    public bool KubeVirtInstalled { get; init; }

    /// <summary>Namespaces that exist from the start.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];
}
