namespace BandwidthOperator.EndToEnd.Tests;

/// <summary>Tests that set process environment variables (NODE_NAME, Agent__*) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AgentEnvironmentCollection
{
    public const string Name = "Agent environment";
}
