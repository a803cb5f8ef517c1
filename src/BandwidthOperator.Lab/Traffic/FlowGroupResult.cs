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

    /// <summary>
    /// The median of the measured per-second goodputs: the typical rate, not moved by one second in
    /// which the generator itself stalled (on a busy 2-core machine every flow can pause at once and
    /// then catch up, which lowers the mean without the shaping being at fault).
    /// </summary>
    public BitRate MedianGoodput => Median(Samples.Where(s => !s.InWarmup).Select(s => s.Goodput.BitsPerSecond));

    /// <summary>The median of per-interval rates, or zero without any.</summary>
    public static BitRate Median(IEnumerable<ulong> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var sorted = rates.Order().ToArray();
        return sorted.Length == 0 ? BitRate.Zero
            : sorted.Length % 2 == 1 ? new BitRate(sorted[sorted.Length / 2])
            : new BitRate((sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Group}: {Megabits:0.00} Mbit/s (median {MedianGoodput.BitsPerSecond / 1e6:0.00}) [{string.Join(' ', Samples.Select(s => (s.Goodput.BitsPerSecond / 1e6).ToString("0.0", CultureInfo.InvariantCulture)))}]");
}
