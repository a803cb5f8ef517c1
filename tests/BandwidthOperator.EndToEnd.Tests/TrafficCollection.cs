namespace BandwidthOperator.EndToEnd.Tests;

/// <summary>
/// Traffic tests measure rates on a 2-core machine: they run one at a time and never beside other
/// tests of this assembly, or they measure the CPU instead of the shaping.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrafficCollection
{
    public const string Name = "Traffic";
}
