namespace BandwidthOperator.Shaping.Planning;

/// <summary>What the plan made of one BridgeNetwork on this node (<see cref="NetworkOutcome.State"/>).</summary>
public enum NetworkState
{
    /// <summary>Valid, selects this node and owns its bridge: it has a <see cref="BridgeOutcome"/>.</summary>
    Planned,

    /// <summary>The spec is invalid (<c>InvalidNetwork</c>): reported, its interfaces refused, its bridge left as it is.</summary>
    Invalid,

    /// <summary>Its nodeSelector does not select this node (<c>NetworkNotOnNode</c>): not reported here.</summary>
    NotOnNode,

    /// <summary>Another network (first by name) already manages its bridge (<c>BridgeInUse</c>): reported, its bridge left to the other.</summary>
    BridgeInUse,
}
