using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>One network as the network stage resolved it: its validated settings when planned, and its typed outcome.</summary>
internal sealed record NetworkEntry(NetworkSettings? Settings, NetworkOutcome Outcome);
