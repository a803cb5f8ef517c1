using System.Collections.Immutable;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>
/// What this node should advertise: extended resource name → floor capacity (sorted by name), and
/// the schedulable networks that cannot be advertised.
/// </summary>
public sealed record NodeFloorCapacity(ImmutableSortedDictionary<string, BitRate> Resources, ImmutableArray<SchedulingRefusal> Refusals);
