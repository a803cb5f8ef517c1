namespace BandwidthOperator.Api.Resources;

/// <summary>A bridged network whose inbound capacity floors are carved from (cluster-scoped, short name <c>bn</c>).</summary>
public sealed class BridgeNetwork() : CustomResource<BridgeNetworkSpec, BridgeNetworkStatus>(KubeKind)
{
    public const string KubeKind = "BridgeNetwork";
    public const string Plural = "bridgenetworks";
}
