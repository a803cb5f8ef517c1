using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Demo;

/// <summary>One phase of the demo: what is applied to the kernel before the traffic runs (null: nothing, no tree).</summary>
internal sealed record DemoPhase(int Number, string Name, string Description, NodeRequest? Request);
