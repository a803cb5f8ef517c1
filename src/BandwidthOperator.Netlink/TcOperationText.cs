using System.Globalization;
using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>Short command forms that name an operation in error messages (<c>tc class add dev br0 classid 1:3</c>).</summary>
internal static class TcOperationText
{
    public static string Describe(TcOperation op)
    {
        var verb = TcCommand.VerbWord(op.Verb);
        return op.Target switch
        {
            IfbLink l when op.Verb == TcVerb.Delete => $"ip link del {l.Device}",
            IfbLink l when op.Verb == TcVerb.Add => $"ip link add {l.Device} type ifb",
            IfbLink l => $"ip link set {l.Device} up",
            Qdisc q when q.Parent == TcHandle.Ingress => $"tc qdisc {verb} dev {q.Device} {q.Kind}",
            Qdisc q when q.Parent == TcHandle.Root => $"tc qdisc {verb} dev {q.Device} root handle {q.Handle} {q.Kind}",
            Qdisc q => $"tc qdisc {verb} dev {q.Device} parent {q.Parent} handle {q.Handle} {q.Kind}",
            HtbClass c => $"tc class {verb} dev {c.Device} classid {c.Handle}",
            U32Filter f => U32FilterCodec.FilterOperation(verb, f),
            _ => string.Create(CultureInfo.InvariantCulture, $"{verb} {op.Target}"),
        };
    }
}
