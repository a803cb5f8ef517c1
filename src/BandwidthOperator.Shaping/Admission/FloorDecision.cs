using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Admission;

/// <summary>
/// The admission result for one request: the floor to apply (null: not admitted, traffic stays in the
/// default class) and, when the request was not met in full, why.
/// </summary>
public sealed record FloorDecision(ObjectRef Ref, BitRate? Granted, bool FullyAdmitted, string Message);
