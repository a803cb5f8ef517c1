using BandwidthOperator.Api.Quantities;
using k8s.Models;

namespace BandwidthOperator.Api.Validation;

/// <summary>A validated <c>BridgeNetwork</c>: <see cref="Average"/>/<see cref="Burst"/> inbound, the outbound pair, and explicit port roles.</summary>
public sealed record NetworkSettings(
    string Name,
    string Bridge,
    BitRate? Average,
    ByteSize? Burst,
    V1LabelSelector? NodeSelector,
    V1LabelSelector? NamespaceSelector,
    long Generation,
    BitRate? OutboundAverage = null,
    ByteSize? OutboundBurst = null,
    IReadOnlyList<string>? Uplinks = null,
    IReadOnlyList<string>? Guests = null);
