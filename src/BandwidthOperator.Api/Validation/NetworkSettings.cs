using BandwidthOperator.Api.Quantities;
using k8s.Models;

namespace BandwidthOperator.Api.Validation;

/// <summary>A validated <c>BridgeNetwork</c>.</summary>
public sealed record NetworkSettings(
    string Name,
    string Bridge,
    BitRate? Average,
    ByteSize? Burst,
    V1LabelSelector? NodeSelector,
    V1LabelSelector? NamespaceSelector,
    long Generation);
