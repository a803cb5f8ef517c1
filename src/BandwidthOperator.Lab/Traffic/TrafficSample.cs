using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Lab.Traffic;

/// <summary>Goodput of one flow group over one sampling interval, <see cref="Start"/> measured from when the streams began.</summary>
public sealed record TrafficSample(TimeSpan Start, TimeSpan Length, long Bytes, BitRate Goodput, bool InWarmup);
