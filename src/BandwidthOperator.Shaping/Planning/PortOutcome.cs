using BandwidthOperator.Shaping.Ports;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>One port of a managed bridge: its role, whether it is (to be) hooked, and what holds it when it cannot be.</summary>
public sealed record PortOutcome(string Name, PortRole Role, bool Hooked, string? Holder);
