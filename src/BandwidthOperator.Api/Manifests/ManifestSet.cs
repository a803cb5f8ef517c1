using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Api.Manifests;

/// <summary>The resources read from manifest files, in file order, with the documents that were skipped.</summary>
public sealed record ManifestSet(
    IReadOnlyList<BridgeNetwork> Networks,
    IReadOnlyList<InterfaceBandwidth> Interfaces,
    IReadOnlyList<string> Skipped)
{
    /// <summary>What the CRD schemas refuse, by file, line and field; those objects are not in the lists.</summary>
    public IReadOnlyList<ManifestProblem> Problems { get; init; } = [];

    /// <summary>Files (or a folder) that hold no manifest at all.</summary>
    public IReadOnlyList<string> Empty { get; init; } = [];
}
