using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Shaping.Trees;

/// <summary>
/// An interface's class in one direction's tree: <c>1:ClassId</c> with rate Floor (the admitted floor, or
/// <see cref="ShapingTree.LimitOnlyRate"/> for an interface with a limit but no floor) and ceiling Ceil
/// (the interface's average, or the capacity), matched by MAC. <paramref name="CeilBurst"/> is the
/// interface's burst (HTB <c>cburst</c>), when it set one; <paramref name="Peak"/> its peak, enforced by
/// the class's leaf qdisc (a TBF at the peak rate with a one-frame bucket) — so average, burst and peak
/// all act in the one class the packet passes.
/// </summary>
public sealed record FloorClass(ushort ClassId, MacAddress Mac, BitRate Floor, BitRate Ceil, ByteSize? CeilBurst = null, BitRate? Peak = null);
