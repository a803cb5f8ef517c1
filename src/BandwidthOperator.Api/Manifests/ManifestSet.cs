using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Api.Manifests;

/// <summary>The resources read from manifest files, in file order, with the documents that were skipped.</summary>
public sealed record ManifestSet(
    IReadOnlyList<BridgeNetwork> Networks,
    IReadOnlyList<InterfaceBandwidth> Interfaces,
    IReadOnlyList<string> Skipped);
