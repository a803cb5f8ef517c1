using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>The result of planning one node: per network and per interface outcomes, and the ordered kernel operations.</summary>
public sealed record NodePlan(
    IReadOnlyList<BridgeOutcome> Bridges,
    IReadOnlyList<InterfaceOutcome> Interfaces,
    IReadOnlyList<TcOperation> Operations,
    IReadOnlyList<string> NetworkIssues)
{
    public bool IsEmpty => Operations.Count == 0;

    /// <summary>
    /// Every network of the request (in the plan's scope), by name, each with its typed
    /// <see cref="NetworkOutcome.State"/>; <see cref="NetworkIssues"/> are the messages of those that are issues.
    /// </summary>
    public IReadOnlyList<NetworkOutcome> Networks { get; init; } = [];

    /// <summary>The outcome of the network named <paramref name="network"/>, or null when the request had none by that name (or it is out of scope).</summary>
    public NetworkOutcome? NetworkOf(string network)
    {
        foreach (var n in Networks)
        {
            if (string.Equals(n.Network, network, StringComparison.Ordinal))
            {
                return n;
            }
        }

        return null;
    }
}
