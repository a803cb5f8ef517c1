namespace BandwidthOperator.Demo;

/// <summary>
/// How the demo runs: measured seconds per phase and direction (each after a warm-up), where the chart goes,
/// the node name the manifests must carry, and a folder of manifests to use instead of the built-in ones.
/// </summary>
internal sealed record DemoOptions
{
    public const string DefaultNamespacePrefix = "bwo-demo-";

    /// <summary>Names of the demo's namespaces: PREFIX host, ext, g1…; tests pass their own, unique one.</summary>
    public string NamespacePrefix { get; init; } = DefaultNamespacePrefix;

    public int Seconds { get; init; } = 6;

    /// <summary>
    /// Unmeasured seconds at the start of each part: after the tree changes, a floored TCP flow needs a moment
    /// to grow its window against flows that already fill the queue (on a loaded 2-core machine one second
    /// was sometimes not enough, and the first measured second then counted the climb).
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public string PngPath { get; init; } = "bandwidth-demo.png";

    public string Node { get; init; } = "demo";

    public string? ManifestsPath { get; init; }

    /// <summary>Redraw a live table in place (a terminal) rather than print one line per second.</summary>
    public bool Live { get; init; }

    public bool Color { get; init; }
}
