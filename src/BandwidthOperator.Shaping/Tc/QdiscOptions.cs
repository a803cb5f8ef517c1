using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Shaping.Tc;

/// <summary>The kind of a qdisc and its parameters (what follows the handle on a <c>tc qdisc</c> line).</summary>
public abstract record QdiscOptions
{
    /// <summary>The kernel's name of the kind (<c>TCA_KIND</c>): htb, tbf, pfifo, …</summary>
    public abstract string Kind { get; }
}

/// <summary><c>htb default {DefaultClass:x} r2q {R2q}</c>.</summary>
public sealed record HtbQdiscOptions(ushort DefaultClass, uint R2q = 10) : QdiscOptions
{
    public override string Kind => "htb";
}

/// <summary>
/// <c>tbf rate {Rate} burst {Burst} limit {Limit} [peakrate {PeakRate} mtu {Mtu}]</c>.
/// Burst and MTU are kept by the kernel as transmit times at the rate (psched ticks); see <see cref="PschedTime"/>.
/// </summary>
public sealed record TbfQdiscOptions(BitRate Rate, ByteSize Burst, ByteSize Limit, BitRate? PeakRate = null, ByteSize? Mtu = null) : QdiscOptions
{
    public override string Kind => "tbf";

    public bool Equals(TbfQdiscOptions? other) =>
        other is not null
        && Rate == other.Rate
        && PschedTime.SameBuffer(Rate, Burst, other.Burst)
        && Limit == other.Limit
        && PeakRate == other.PeakRate
        && (PeakRate is not { } peak || PschedTime.SameBuffer(peak, Mtu ?? default, other.Mtu ?? default));

    public override int GetHashCode() => HashCode.Combine(Rate, Limit, PeakRate);
}

/// <summary><c>pfifo limit {Limit}</c> or <c>bfifo limit {Limit}</c> (packets or bytes).</summary>
public sealed record FifoQdiscOptions(string FifoKind, uint? Limit = null) : QdiscOptions
{
    public override string Kind => FifoKind;

    public static FifoQdiscOptions Pfifo(uint? limit = null) => new("pfifo", limit);
}

/// <summary><c>sfq perturb {PerturbSeconds}</c>.</summary>
public sealed record SfqQdiscOptions(int PerturbSeconds = 10) : QdiscOptions
{
    public override string Kind => "sfq";
}

/// <summary><c>fq_codel</c> with kernel defaults.</summary>
public sealed record FqCodelQdiscOptions : QdiscOptions
{
    public override string Kind => "fq_codel";
}

/// <summary><c>ingress</c> (handle ffff:, parent ingress).</summary>
public sealed record IngressQdiscOptions : QdiscOptions
{
    public override string Kind => "ingress";
}

/// <summary><c>clsact</c> (handle ffff:, parent ingress... as the kernel names it).</summary>
public sealed record ClsactQdiscOptions : QdiscOptions
{
    public override string Kind => "clsact";
}

/// <summary>A kind the agent does not manage (noqueue, mq, a foreign htb …), seen in a dump.</summary>
public sealed record OtherQdiscOptions(string OtherKind) : QdiscOptions
{
    public override string Kind => OtherKind;
}
