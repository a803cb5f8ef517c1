using System.Buffers.Binary;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Codecs;

/// <summary>Encodes <see cref="Qdisc"/> operations as <c>RTM_NEWQDISC</c>/<c>RTM_DELQDISC</c> and decodes qdisc dumps.</summary>
internal static class QdiscCodec
{
    private const int TbfMax = 8;
    private const int HtbMax = 9;

    /// <summary>The kernel caps the <c>tc_tbf_qopt</c> buffer at 2^32 - 1 ns; psched ticks are 64 ns.</summary>
    private const uint MaxTbfTicks = uint.MaxValue >> 6;

    /// <summary><c>tc qdisc add|change|replace|del dev … parent … handle … KIND OPTIONS</c>.</summary>
    public static void Encode(NetlinkWriter w, TcVerb verb, Qdisc q, int ifindex, uint sequence)
    {
        ArgumentNullException.ThrowIfNull(q);
        var delete = verb == TcVerb.Delete;
        w.BeginMessage(delete ? NetlinkNumbers.RTM_DELQDISC : NetlinkNumbers.RTM_NEWQDISC, TcMessage.Flags(verb), sequence);
        w.TcMsg(ifindex, q.Handle.Value, q.Parent.Value);
        if (!delete || q.Options is not OtherQdiscOptions)
        {
            w.PutString(Tca.TCA_KIND, q.Kind);
        }

        if (!delete)
        {
            EncodeOptions(w, q.Options);
        }

        w.EndMessage();
    }

    public static Qdisc Decode(TcMessage m, string device)
    {
        var kind = m.Kind ?? string.Empty;
        var options = m.Attributes.Get(Tca.TCA_OPTIONS);
        QdiscOptions decoded = kind switch
        {
            "htb" => DecodeHtb(options),
            "tbf" => DecodeTbf(options),
            "pfifo" or "bfifo" => new FifoQdiscOptions(kind, options.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(options.Span) : null),
            "sfq" => new SfqQdiscOptions(options.Length >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(options.Span[4..]) : 0),
            "fq_codel" => new FqCodelQdiscOptions(),
            "ingress" => new IngressQdiscOptions(),
            "clsact" => new ClsactQdiscOptions(),
            _ => new OtherQdiscOptions(kind),
        };
        return new Qdisc(device, new TcHandle(m.Handle), new TcHandle(m.Parent), decoded);
    }

    private static void EncodeOptions(NetlinkWriter w, QdiscOptions options)
    {
        switch (options)
        {
            case HtbQdiscOptions h:
            {
                var nest = w.BeginNest(Tca.TCA_OPTIONS);
                var glob = w.Attribute(Tca.TCA_HTB_INIT, Tca.HtbGlobLength);
                BinaryPrimitives.WriteUInt32LittleEndian(glob, Tca.HtbVersion);
                BinaryPrimitives.WriteUInt32LittleEndian(glob[4..], h.R2q);
                BinaryPrimitives.WriteUInt32LittleEndian(glob[8..], h.DefaultClass);
                w.EndNest(nest);
                break;
            }

            case TbfQdiscOptions t:
                EncodeTbf(w, t);
                break;
            case FifoQdiscOptions f when f.Limit is { } limit:
                BinaryPrimitives.WriteUInt32LittleEndian(w.Attribute(Tca.TCA_OPTIONS, 4), limit);
                break;
            case SfqQdiscOptions s:
                BinaryPrimitives.WriteInt32LittleEndian(w.Attribute(Tca.TCA_OPTIONS, Tca.SfqQoptLength)[4..], s.PerturbSeconds);
                break;
            case OtherQdiscOptions o:
                throw new NotSupportedException($"qdisc kind '{o.OtherKind}' can be deleted but not created by this agent");
            default:
                // fq_codel, ingress, clsact, pfifo/bfifo without a limit: kernel defaults, no options.
                break;
        }
    }

    /// <summary>
    /// <c>tc_tbf_qopt</c> with burst and MTU as psched ticks at rate and peak rate; the kernel keeps
    /// exactly those ticks, so what is dumped is what was sent. <c>TCA_TBF_BURST</c>/<c>PBURST</c>
    /// (bytes, from which the kernel computes the ticks itself, rounding down by up to a tick) are
    /// sent only when the ticks would exceed what the kernel accepts in <c>tc_tbf_qopt</c>
    /// (2^32 ns, about 4.3 s of sending at the rate).
    /// </summary>
    private static void EncodeTbf(NetlinkWriter w, TbfQdiscOptions t)
    {
        var nest = w.BeginNest(Tca.TCA_OPTIONS);
        var q = w.Attribute(Tca.TCA_TBF_PARMS, Tca.TbfQoptLength);
        RateSpec.Write(q, t.Rate);
        if (t.PeakRate is { } peak)
        {
            RateSpec.Write(q[Tca.RateSpecLength..], peak);
        }

        var buffer = PschedTime.Ticks(t.Rate, t.Burst);
        var mtu = t.PeakRate is { } p ? PschedTime.Ticks(p, t.Mtu ?? new ByteSize(2048)) : 0;
        BinaryPrimitives.WriteUInt32LittleEndian(q[24..], (uint)Math.Min(t.Limit.Bytes, uint.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(q[28..], buffer);
        BinaryPrimitives.WriteUInt32LittleEndian(q[32..], mtu);
        if (buffer > MaxTbfTicks)
        {
            w.PutU32(Tca.TCA_TBF_BURST, (uint)Math.Min(t.Burst.Bytes, uint.MaxValue));
        }

        if (mtu > MaxTbfTicks)
        {
            w.PutU32(Tca.TCA_TBF_PBURST, (uint)Math.Min((t.Mtu ?? new ByteSize(2048)).Bytes, uint.MaxValue));
        }

        if (RateSpec.Needs64(t.Rate))
        {
            w.PutU64(Tca.TCA_TBF_RATE64, t.Rate.BytesPerSecond);
        }

        if (t.PeakRate is { } p64 && RateSpec.Needs64(p64))
        {
            w.PutU64(Tca.TCA_TBF_PRATE64, p64.BytesPerSecond);
        }

        w.EndNest(nest);
    }

    private static HtbQdiscOptions DecodeHtb(ReadOnlyMemory<byte> options)
    {
        var a = NetlinkAttributes.Parse(options, HtbMax);
        var glob = a.Get(Tca.TCA_HTB_INIT).Span;
        return glob.Length >= 12
            ? new HtbQdiscOptions((ushort)BinaryPrimitives.ReadUInt32LittleEndian(glob[8..]), BinaryPrimitives.ReadUInt32LittleEndian(glob[4..]))
            : new HtbQdiscOptions(0);
    }

    private static TbfQdiscOptions DecodeTbf(ReadOnlyMemory<byte> options)
    {
        var a = NetlinkAttributes.Parse(options, TbfMax);
        var q = a.Get(Tca.TCA_TBF_PARMS).Span;
        if (q.Length < Tca.TbfQoptLength)
        {
            throw new InvalidDataException("tbf qdisc without TCA_TBF_PARMS");
        }

        var rate = RateSpec.Read(q, a.U64(Tca.TCA_TBF_RATE64));
        var peak = RateSpec.Read(q[Tca.RateSpecLength..], a.U64(Tca.TCA_TBF_PRATE64));
        var limit = new ByteSize(BinaryPrimitives.ReadUInt32LittleEndian(q[24..]));
        var burst = PschedTime.Size(rate, BinaryPrimitives.ReadUInt32LittleEndian(q[28..]));
        return peak.BitsPerSecond == 0
            ? new TbfQdiscOptions(rate, burst, limit)
            : new TbfQdiscOptions(rate, burst, limit, peak, PschedTime.Size(peak, BinaryPrimitives.ReadUInt32LittleEndian(q[32..])));
    }
}
