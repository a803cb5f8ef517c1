using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Shaping.Tc;

/// <summary>
/// An HTB class. <c>tc class add dev {Device} parent {Parent} classid {Handle} htb rate {Rate} ceil {Ceil}
/// burst {Burst} cburst {Cburst} quantum {Quantum} prio {Priority}</c>. Burst sizes are kept by the
/// kernel as transmit times (psched ticks), so two bursts are equal when they give the same ticks.
/// </summary>
public sealed record HtbClass(
    string Device,
    TcHandle Handle,
    TcHandle Parent,
    BitRate Rate,
    BitRate Ceil,
    ByteSize Burst,
    ByteSize Cburst,
    uint Quantum,
    uint Priority = 0) : TcObject(Device)
{
    public override TcObjectKey Key => new(TcObjectType.Class, Device, Handle.Value, Parent.Value);

    public bool Equals(HtbClass? other) =>
        other is not null
        && Device == other.Device
        && Handle == other.Handle
        && Parent == other.Parent
        && Rate == other.Rate
        && Ceil == other.Ceil
        && PschedTime.SameBuffer(Rate, Burst, other.Burst)
        && PschedTime.SameBuffer(Ceil, Cburst, other.Cburst)
        && Quantum == other.Quantum
        && Priority == other.Priority;

    public override int GetHashCode() => HashCode.Combine(Device, Handle, Parent, Rate, Ceil, Quantum, Priority);
}
