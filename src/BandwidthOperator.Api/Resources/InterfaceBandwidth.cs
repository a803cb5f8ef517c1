namespace BandwidthOperator.Api.Resources;

/// <summary>Bandwidth for one VM or pod interface on a <see cref="BridgeNetwork"/> (namespaced, short name <c>ibw</c>).</summary>
public sealed class InterfaceBandwidth() : CustomResource<InterfaceBandwidthSpec, InterfaceBandwidthStatus>(KubeKind)
{
    public const string KubeKind = "InterfaceBandwidth";
    public const string Plural = "interfacebandwidths";
}
