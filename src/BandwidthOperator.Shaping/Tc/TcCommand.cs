using System.Globalization;
using System.Text;

namespace BandwidthOperator.Shaping.Tc;

/// <summary>Renders a plan operation as the <c>tc</c> (or <c>ip</c>) command line that does the same.</summary>
public static class TcCommand
{
    public static string Render(TcOperation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var verb = VerbWord(op.Verb);
        return op.Target switch
        {
            IfbLink l when op.Verb == TcVerb.Delete => $"ip link del {l.Device}",
            IfbLink l => $"ip link add {l.Device} type ifb && ip link set {l.Device} up",
            Qdisc q => RenderQdisc(verb, q, op.Verb == TcVerb.Delete),
            HtbClass c => RenderClass(verb, c, op.Verb == TcVerb.Delete),
            U32Filter f => RenderFilter(verb, f, op.Verb == TcVerb.Delete),
            _ => throw new ArgumentException($"unknown tc object {op.Target.GetType().Name}", nameof(op)),
        };
    }

    /// <summary>The word tc uses for a verb: add, change, replace, del.</summary>
    public static string VerbWord(TcVerb verb) => verb switch
    {
        TcVerb.Add => "add",
        TcVerb.Change => "change",
        TcVerb.Replace => "replace",
        _ => "del",
    };

    private static string RenderQdisc(string verb, Qdisc q, bool delete)
    {
        var sb = new StringBuilder($"tc qdisc {verb} dev {q.Device} ");
        sb.Append(q.Parent == TcHandle.Root ? "root" : q.Parent == TcHandle.Ingress ? (q.Kind == "clsact" ? "clsact" : "ingress") : "parent " + q.Parent);
        if (q.Parent == TcHandle.Ingress)
        {
            return sb.ToString();
        }

        sb.Append(" handle ").Append(q.Handle);
        if (delete)
        {
            return sb.ToString();
        }

        sb.Append(' ').Append(q.Kind);
        switch (q.Options)
        {
            case HtbQdiscOptions h:
                sb.Append(CultureInfo.InvariantCulture, $" default {h.DefaultClass:x} r2q {h.R2q}");
                break;
            case TbfQdiscOptions t:
                sb.Append(CultureInfo.InvariantCulture, $" rate {t.Rate.ToTcString()} burst {t.Burst.ToTcString()} limit {t.Limit.ToTcString()}");
                if (t.PeakRate is { } peak)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" peakrate {peak.ToTcString()} mtu {(t.Mtu ?? new Api.Quantities.ByteSize(2048)).ToTcString()}");
                }

                break;
            case FifoQdiscOptions f when f.Limit is { } limit:
                sb.Append(CultureInfo.InvariantCulture, $" limit {limit}");
                break;
            case SfqQdiscOptions s:
                sb.Append(CultureInfo.InvariantCulture, $" perturb {s.PerturbSeconds}");
                break;
        }

        return sb.ToString();
    }

    private static string RenderClass(string verb, HtbClass c, bool delete)
    {
        var s = $"tc class {verb} dev {c.Device} parent {c.Parent} classid {c.Handle}";
        return delete
            ? s
            : s + string.Create(
                CultureInfo.InvariantCulture,
                $" htb rate {c.Rate.ToTcString()} ceil {c.Ceil.ToTcString()} burst {c.Burst.ToTcString()} cburst {c.Cburst.ToTcString()} quantum {c.Quantum} prio {c.Priority}");
    }

    private static string RenderFilter(string verb, U32Filter f, bool delete)
    {
        var protocol = f.Protocol == U32Filter.ProtocolAll ? "all" : "0x" + f.Protocol.ToString("x4", CultureInfo.InvariantCulture);
        var sb = new StringBuilder($"tc filter {verb} dev {f.Device} parent {f.Parent} prio {f.Priority.ToString(CultureInfo.InvariantCulture)}");
        var isNode = U32Handle.Node(f.Handle) != 0;
        if (f.Handle != 0)
        {
            // Handle 0: the kernel chooses it (a clsact side's first node).
            sb.Append(" handle ").Append(U32Handle.Format(f.Handle));
        }

        sb.Append(" protocol ").Append(protocol).Append(" u32");
        if (delete)
        {
            return sb.ToString();
        }

        if (f.Divisor is { } divisor)
        {
            return sb.Append(CultureInfo.InvariantCulture, $" divisor {divisor}").ToString();
        }

        if (isNode)
        {
            sb.Append(CultureInfo.InvariantCulture, $" ht {U32Handle.Htid(f.Handle):x}:{U32Handle.Bucket(f.Handle):x}:");
        }

        if (f.Keys.Count == 0)
        {
            sb.Append(" match u32 0 0");
        }

        foreach (var k in f.Keys)
        {
            sb.Append(' ').Append(k);
        }

        if (f.Link is { } link)
        {
            sb.Append(CultureInfo.InvariantCulture, $" link {link.TargetHtid:x}: hashkey mask 0x{link.HashMask:x8} at {link.HashOffset}");
        }

        if (f.FlowId is { } flow)
        {
            sb.Append(" flowid ").Append(flow);
        }

        if (f.RedirectTo is { } target)
        {
            sb.Append(" action mirred egress redirect dev ").Append(target);
        }

        return sb.ToString();
    }
}
