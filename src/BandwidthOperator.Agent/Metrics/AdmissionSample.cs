namespace BandwidthOperator.Agent.Metrics;

/// <summary>One InterfaceBandwidth of this node that asks for a floor: whether it is admitted, and the Admitted condition's reason.</summary>
public sealed record AdmissionSample(string Namespace, string Name, string Network, bool Admitted, string Reason);
