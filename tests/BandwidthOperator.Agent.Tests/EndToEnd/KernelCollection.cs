namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>Agent tests with a real kernel run one at a time (2 cores, shared).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "Kernel";
}
