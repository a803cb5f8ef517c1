using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Demo;

/// <summary>What one guest got in one phase: goodput over the measured window and one rate per second over the whole phase.</summary>
internal sealed record DemoGuestResult(DemoGuest Guest, BitRate Goodput, IReadOnlyList<(double Seconds, BitRate Rate)> Samples)
{
    public bool FloorHeld => Guest.Held(Goodput);

    /// <summary>Goodput as a share of the floor (null without a floor).</summary>
    public double? ShareOfFloor => Guest.Floor is { } f && f.BitsPerSecond > 0 ? (double)Goodput.BitsPerSecond / f.BitsPerSecond : null;
}
