namespace BandwidthOperator.Agent.Scheduling;

/// <summary>Inbound is traffic toward the guest, outbound from it.</summary>
public enum FloorDirection
{
    Inbound,
    Outbound,
}
