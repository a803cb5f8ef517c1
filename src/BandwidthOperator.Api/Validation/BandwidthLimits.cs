using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Api.Validation;

/// <summary>Validated limits of one direction: <c>Floor ≤ Average ≤ Peak</c> where given.</summary>
public sealed record BandwidthLimits(BitRate? Floor, BitRate? Average, BitRate? Peak, ByteSize? Burst)
{
    public static BandwidthLimits None { get; } = new(null, null, null, null);

    /// <summary>Whether the direction is shaped on the interface's own device (average set).</summary>
    public bool HasDeviceLimit => Average is not null;
}
