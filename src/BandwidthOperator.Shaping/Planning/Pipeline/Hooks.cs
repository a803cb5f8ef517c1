using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>The hook stage's result: the hook objects of the bridge's guest ports, and each port's outcome (by name).</summary>
internal sealed record Hooks(IReadOnlyList<TcObject> Objects, IReadOnlyList<PortOutcome> Ports, IReadOnlyDictionary<string, PortOutcome> ByName);
