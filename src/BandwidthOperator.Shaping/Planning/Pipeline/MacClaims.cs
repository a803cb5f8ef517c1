using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>The MAC claim stage's result: the members accepted on the bridge (in age order), who owns each MAC, and the refused duplicates.</summary>
internal sealed record MacClaims(
    IReadOnlyList<InterfaceSettings> Accepted,
    IReadOnlyDictionary<MacAddress, InterfaceSettings> Owner,
    IReadOnlyList<InterfaceOutcome> Refused);
