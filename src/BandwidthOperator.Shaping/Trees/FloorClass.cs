using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Shaping.Trees;

/// <summary>An admitted floor on a bridge: class <c>1:ClassId</c> with rate Floor and ceiling Ceil, matched by MAC.</summary>
public sealed record FloorClass(ushort ClassId, MacAddress Mac, BitRate Floor, BitRate Ceil);
