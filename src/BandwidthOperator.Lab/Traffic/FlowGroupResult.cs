using System.Globalization;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Lab.Traffic;

/// <summary>
/// What one flow group's receiver got: TCP payload bytes and goodput over the measured window
/// (warm-up excluded), and per-interval samples over the whole run.
/// </summary>
public sealed record FlowGroupResult(FlowGroup Group, long Bytes, TimeSpan Measured, IReadOnlyList<TrafficSample> Samples)
{
    /// <summary>Goodput over the measured window.</summary>
    public BitRate Goodput => new((ulong)Math.Round(BitsPerSecond));

    public double BitsPerSecond => Measured > TimeSpan.Zero ? Bytes * 8.0 / Measured.TotalSeconds : 0;

    public double Megabits => BitsPerSecond / 1e6;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Group}: {Megabits:0.00} Mbit/s [{string.Join(' ', Samples.Select(s => (s.Goodput.BitsPerSecond / 1e6).ToString("0.0", CultureInfo.InvariantCulture)))}]");
}
