using System.Buffers.Binary;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Codecs;

/// <summary>
/// Encodes <see cref="U32Filter"/> operations as <c>RTM_NEWTFILTER</c>/<c>RTM_DELTFILTER</c> and decodes
/// filter dumps: hash tables (<c>TCA_U32_DIVISOR</c>), nodes (<c>TCA_U32_SEL</c> with big-endian keys,
/// <c>TCA_U32_HASH</c> = table and bucket, <c>TCA_U32_CLASSID</c>), links (<c>TCA_U32_LINK</c> with
/// <c>sel.hmask</c>/<c>sel.hoff</c>) and a mirred egress redirect (<c>TCA_U32_ACT</c>).
/// </summary>
internal static class U32FilterCodec
{
    private const int U32Max = 12;
    private const int ActMax = 10;
    private const int MirredMax = 4;

    /// <summary>The root hash table the kernel makes itself for the first u32 priority of a qdisc.</summary>
    public const uint RootTable = 0x8000_0000;

    /// <summary><c>tc filter add|change|replace|del dev … parent … prio … handle … protocol … u32 …</c>.</summary>
    public static void Encode(NetlinkWriter w, TcVerb verb, U32Filter f, int ifindex, uint sequence, IDeviceIndex devices)
    {
        ArgumentNullException.ThrowIfNull(f);
        var delete = verb == TcVerb.Delete;
        w.BeginMessage(delete ? NetlinkNumbers.RTM_DELTFILTER : NetlinkNumbers.RTM_NEWTFILTER, TcMessage.Flags(verb), sequence);
        w.TcMsg(ifindex, f.Handle, f.Parent.Value, TcMessage.FilterInfo(f.Priority, f.Protocol));
        w.PutString(Tca.TCA_KIND, "u32");
        if (!delete)
        {
            var nest = w.BeginNest(Tca.TCA_OPTIONS);
            if (f.Divisor is { } divisor)
            {
                w.PutU32(Tca.TCA_U32_DIVISOR, divisor);
            }
            else
            {
                EncodeNode(w, f, devices);
            }

            w.EndNest(nest);
        }

        w.EndMessage();
    }

    /// <summary>Decodes a u32 filter; null for the per-priority header entry (handle 0) and the kernel's own root table.</summary>
    public static U32Filter? Decode(TcMessage m, string device, IDeviceIndex devices)
    {
        if (m.Handle == 0)
        {
            return null;
        }

        var a = m.Attributes.Nested(Tca.TCA_OPTIONS, U32Max);
        var parent = new TcHandle(m.Parent);
        if (a.U32(Tca.TCA_U32_DIVISOR) is { } divisor)
        {
            return m.Handle == RootTable && divisor == 1
                ? null
                : new U32Filter(device, parent, m.Priority, m.Protocol, m.Handle, [], Divisor: divisor);
        }

        var sel = a.Get(Tca.TCA_U32_SEL).Span;
        var keys = new List<U32Key>();
        U32Link? link = null;
        if (sel.Length >= Tca.U32SelLength)
        {
            var nkeys = sel[2];
            for (var i = 0; i < nkeys && Tca.U32SelLength + ((i + 1) * Tca.U32KeyLength) <= sel.Length; i++)
            {
                var k = sel[(Tca.U32SelLength + (i * Tca.U32KeyLength))..];
                keys.Add(new U32Key(
                    BinaryPrimitives.ReadUInt32BigEndian(k[4..]),
                    BinaryPrimitives.ReadUInt32BigEndian(k),
                    BinaryPrimitives.ReadInt32LittleEndian(k[8..])));
            }

            if (a.U32(Tca.TCA_U32_LINK) is { } target)
            {
                link = new U32Link(U32Handle.Htid(target), BinaryPrimitives.ReadUInt32BigEndian(sel[12..]), BinaryPrimitives.ReadInt16LittleEndian(sel[10..]));
            }
        }

        var classId = a.U32(Tca.TCA_U32_CLASSID);
        return new U32Filter(
            device,
            parent,
            m.Priority,
            m.Protocol,
            m.Handle,
            keys,
            FlowId: classId is { } c ? new TcHandle(c) : null,
            Link: link,
            RedirectTo: DecodeRedirect(a.Get(Tca.TCA_U32_ACT), devices));
    }

    private static void EncodeNode(NetlinkWriter w, U32Filter f, IDeviceIndex devices)
    {
        if (U32Handle.Htid(f.Handle) != 0)
        {
            // The table and bucket the node goes into; the kernel takes only the node id from tcm_handle.
            w.PutU32(Tca.TCA_U32_HASH, U32Handle.Make(U32Handle.Htid(f.Handle), U32Handle.Bucket(f.Handle), 0));
        }

        if (f.Link is { } link)
        {
            w.PutU32(Tca.TCA_U32_LINK, U32Handle.Make(link.TargetHtid, 0, 0));
        }

        if (f.FlowId is { } flow)
        {
            w.PutU32(Tca.TCA_U32_CLASSID, flow.Value);
        }

        var sel = w.Attribute(Tca.TCA_U32_SEL, Tca.U32SelLength + (f.Keys.Count * Tca.U32KeyLength));
        sel[0] = f.FlowId is not null || f.RedirectTo is not null ? Tca.TC_U32_TERMINAL : (byte)0;
        sel[2] = checked((byte)f.Keys.Count);
        if (f.Link is { } l)
        {
            BinaryPrimitives.WriteInt16LittleEndian(sel[10..], checked((short)l.HashOffset));
            BinaryPrimitives.WriteUInt32BigEndian(sel[12..], l.HashMask);
        }

        for (var i = 0; i < f.Keys.Count; i++)
        {
            var k = sel[(Tca.U32SelLength + (i * Tca.U32KeyLength))..];
            BinaryPrimitives.WriteUInt32BigEndian(k, f.Keys[i].Mask);
            BinaryPrimitives.WriteUInt32BigEndian(k[4..], f.Keys[i].Value);
            BinaryPrimitives.WriteInt32LittleEndian(k[8..], f.Keys[i].Offset);
        }

        if (f.RedirectTo is { } target)
        {
            var ifindex = devices.IndexOf(target)
                ?? throw new TcKernelException($"{FilterOperation("add", f)} action mirred egress redirect dev {target}", f.Device, 19, $"no device {target}");
            var acts = w.BeginNest(Tca.TCA_U32_ACT);
            var first = w.BeginNest(1);
            w.PutString(Tca.TCA_ACT_KIND, "mirred");
            var options = w.BeginNest(Tca.TCA_ACT_OPTIONS);
            var parms = w.Attribute(Tca.TCA_MIRRED_PARMS, Tca.MirredLength);
            BinaryPrimitives.WriteInt32LittleEndian(parms[8..], Tca.TC_ACT_STOLEN);
            BinaryPrimitives.WriteInt32LittleEndian(parms[20..], Tca.TCA_EGRESS_REDIR);
            BinaryPrimitives.WriteInt32LittleEndian(parms[24..], ifindex);
            w.EndNest(options);
            w.EndNest(first);
            w.EndNest(acts);
        }
    }

    private static string? DecodeRedirect(ReadOnlyMemory<byte> acts, IDeviceIndex devices)
    {
        foreach (var (_, act) in NetlinkAttributes.Enumerate(acts))
        {
            var a = NetlinkAttributes.Parse(act, ActMax);
            if (a.String(Tca.TCA_ACT_KIND) != "mirred")
            {
                continue;
            }

            var parms = a.Nested(Tca.TCA_ACT_OPTIONS, MirredMax).Get(Tca.TCA_MIRRED_PARMS).Span;
            if (parms.Length >= Tca.MirredLength && BinaryPrimitives.ReadInt32LittleEndian(parms[20..]) == Tca.TCA_EGRESS_REDIR)
            {
                var ifindex = BinaryPrimitives.ReadInt32LittleEndian(parms[24..]);
                return devices.NameOf(ifindex) ?? $"if{ifindex}";
            }
        }

        return null;
    }

    internal static string FilterOperation(string verb, U32Filter f) =>
        $"tc filter {verb} dev {f.Device} parent {f.Parent} prio {f.Priority} handle {U32Handle.Format(f.Handle)} u32";
}
