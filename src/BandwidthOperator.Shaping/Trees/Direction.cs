namespace BandwidthOperator.Shaping.Trees;

/// <summary>Inbound is traffic toward a guest; outbound is traffic from it.</summary>
public enum Direction
{
    Inbound,
    Outbound,
}
