using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Admission;

/// <summary>
/// One interface asking for a floor on a bridge. <see cref="Applied"/> is the floor the kernel already
/// carries for it (an incumbent), null for a newcomer.
/// </summary>
public sealed record FloorRequest(ObjectRef Ref, BitRate Requested, BitRate? Applied);
