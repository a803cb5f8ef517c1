using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Demo;

/// <summary>What one guest got in one direction of one phase: goodput over the measured window and one rate per second over the whole part.</summary>
internal sealed record DemoGuestResult(DemoGuest Guest, DemoDirection Direction, BitRate Goodput, IReadOnlyList<(double Seconds, BitRate Rate)> Samples)
{
    /// <summary>The guest's floor in this direction (null: none).</summary>
    public BitRate? Floor => Guest.FloorFor(Direction);

    public bool FloorHeld => Guest.Held(Direction, Goodput);

    /// <summary>Goodput as a share of the floor (null without a floor).</summary>
    public double? ShareOfFloor => Floor is { } f && f.BitsPerSecond > 0 ? (double)Goodput.BitsPerSecond / f.BitsPerSecond : null;
}
