namespace BandwidthOperator.Agent.Hosting;

/// <summary>
/// Who the agent is: its node, and the network namespace its kernel side runs in (null: the current
/// one; a path such as /var/run/netns/NAME is for tests).
/// </summary>
public sealed record AgentIdentity(string NodeName, string? NetnsPath = null);
