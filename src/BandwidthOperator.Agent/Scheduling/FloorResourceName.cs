using System.Text.RegularExpressions;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>
/// The extended resource that carries a network's floor capacity on a Node:
/// <c>floor.bandwidthoperator.io/NETWORK</c> (inbound) and <c>outbound-floor.bandwidthoperator.io/NETWORK</c>
/// (outbound). Kubernetes allows at most 63 characters after the slash (a qualified name's name part), so a
/// network whose name is longer cannot be advertised: the agent refuses it for scheduling and says so.
/// </summary>
public static partial class FloorResourceName
{
    public const string InboundPrefix = "floor.bandwidthoperator.io/";

    public const string OutboundPrefix = "outbound-floor.bandwidthoperator.io/";

    /// <summary>The longest name part Kubernetes accepts in a resource name.</summary>
    public const int MaxNameLength = 63;

    public static string For(string network, FloorDirection direction) =>
        (direction == FloorDirection.Inbound ? InboundPrefix : OutboundPrefix) + network;

    /// <summary>Whether <paramref name="resource"/> is one of ours (any network, any direction).</summary>
    public static bool IsOurs(string resource) =>
        resource.StartsWith(InboundPrefix, StringComparison.Ordinal) || resource.StartsWith(OutboundPrefix, StringComparison.Ordinal);

    /// <summary>Why <paramref name="network"/> cannot be a resource name's name part, or null when it can.</summary>
    public static string? Problem(string network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Length > MaxNameLength)
        {
            return $"the name is {network.Length} characters; the extended resource {InboundPrefix}<network> allows at most {MaxNameLength} after the '/'";
        }

        return NamePart().IsMatch(network)
            ? null
            : $"'{network}' is not a valid resource name part (alphanumerics, '-', '_' or '.', starting and ending alphanumeric)";
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex NamePart();
}
