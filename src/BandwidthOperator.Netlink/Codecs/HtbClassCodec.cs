using System.Buffers.Binary;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Codecs;

/// <summary>Encodes <see cref="HtbClass"/> operations as <c>RTM_NEWTCLASS</c>/<c>RTM_DELTCLASS</c> and decodes class dumps.</summary>
internal static class HtbClassCodec
{
    private const int HtbMax = 9;

    /// <summary>
    /// <c>tc class add|change|replace|del dev … parent … classid … htb rate … ceil … burst … cburst … quantum … prio …</c>:
    /// <c>TCA_HTB_PARMS</c> (<c>tc_htb_opt</c>) with Ethernet ratespecs, bursts in psched ticks, and
    /// <c>TCA_HTB_RATE64</c>/<c>CEIL64</c> for rates of 2^32 bytes/s and more.
    /// </summary>
    public static void Encode(NetlinkWriter w, TcVerb verb, HtbClass c, int ifindex, uint sequence)
    {
        ArgumentNullException.ThrowIfNull(c);
        var delete = verb == TcVerb.Delete;
        w.BeginMessage(delete ? NetlinkNumbers.RTM_DELTCLASS : NetlinkNumbers.RTM_NEWTCLASS, TcMessage.Flags(verb), sequence);
        w.TcMsg(ifindex, c.Handle.Value, c.Parent.Value);
        if (!delete)
        {
            w.PutString(Tca.TCA_KIND, "htb");
            var nest = w.BeginNest(Tca.TCA_OPTIONS);
            var opt = w.Attribute(Tca.TCA_HTB_PARMS, Tca.HtbOptLength);
            RateSpec.Write(opt, c.Rate);
            RateSpec.Write(opt[Tca.RateSpecLength..], c.Ceil);
            BinaryPrimitives.WriteUInt32LittleEndian(opt[24..], PschedTime.Ticks(c.Rate, c.Burst));
            BinaryPrimitives.WriteUInt32LittleEndian(opt[28..], PschedTime.Ticks(c.Ceil, c.Cburst));
            BinaryPrimitives.WriteUInt32LittleEndian(opt[32..], c.Quantum);
            BinaryPrimitives.WriteUInt32LittleEndian(opt[40..], c.Priority);
            if (RateSpec.Needs64(c.Rate))
            {
                w.PutU64(Tca.TCA_HTB_RATE64, c.Rate.BytesPerSecond);
            }

            if (RateSpec.Needs64(c.Ceil))
            {
                w.PutU64(Tca.TCA_HTB_CEIL64, c.Ceil.BytesPerSecond);
            }

            w.EndNest(nest);
        }

        w.EndMessage();
    }

    /// <summary>
    /// Decodes an HTB class. The kernel reports a class directly under the qdisc with parent
    /// <c>TC_H_ROOT</c>; it is given the qdisc (<c>1:</c>) as parent, as <c>tc class add … parent 1:</c> says.
    /// </summary>
    public static HtbClass Decode(TcMessage m, string device)
    {
        var a = m.Attributes.Nested(Tca.TCA_OPTIONS, HtbMax);
        var opt = a.Get(Tca.TCA_HTB_PARMS).Span;
        if (opt.Length < Tca.HtbOptLength)
        {
            throw new InvalidDataException($"htb class {new TcHandle(m.Handle)} on {device} without TCA_HTB_PARMS");
        }

        var handle = new TcHandle(m.Handle);
        var parent = m.Parent == TcHandle.Root.Value ? TcHandle.Of(handle.Major, 0) : new TcHandle(m.Parent);
        var rate = RateSpec.Read(opt, a.U64(Tca.TCA_HTB_RATE64));
        var ceil = RateSpec.Read(opt[Tca.RateSpecLength..], a.U64(Tca.TCA_HTB_CEIL64));
        return new HtbClass(
            device,
            handle,
            parent,
            rate,
            ceil,
            PschedTime.Size(rate, BinaryPrimitives.ReadUInt32LittleEndian(opt[24..])),
            PschedTime.Size(ceil, BinaryPrimitives.ReadUInt32LittleEndian(opt[28..])),
            BinaryPrimitives.ReadUInt32LittleEndian(opt[32..]),
            BinaryPrimitives.ReadUInt32LittleEndian(opt[40..]));
    }
}
