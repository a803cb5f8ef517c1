using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Output;

/// <summary>An operation in plain words (<c>deleted the tree of bridge br0</c>), for the list <c>apply</c> prints.</summary>
internal static class OperationWords
{
    public static string Describe(TcOperation op, IReadOnlySet<string> bridges)
    {
        ArgumentNullException.ThrowIfNull(op);
        var done = op.Verb switch
        {
            TcVerb.Add => "added",
            TcVerb.Delete => "deleted",
            _ => "changed",
        };
        var what = op.Target switch
        {
            Qdisc q when q.Parent == TcHandle.Root && BridgeTree.IsOurRoot(q) || (op.Verb == TcVerb.Delete && q.Parent == TcHandle.Root && bridges.Contains(q.Device))
                => op.Verb == TcVerb.Delete ? $"the tree of bridge {q.Device} (its floors and classes)" : $"the tree of bridge {q.Device}",
            Qdisc q when q.Parent == TcHandle.Root => $"the limit ({q.Kind}) on {q.Device}",
            Qdisc q when q.Parent == TcHandle.Ingress => $"the {q.Kind} hook on {q.Device}",
            Qdisc q => $"the {q.Kind} qdisc {q.Handle} on {q.Device}",
            HtbClass c => $"class {c.Handle} on {c.Device}",
            U32Filter f when f.FlowId is { } flow => $"the filter to class {flow} on {f.Device}",
            U32Filter f when f.RedirectTo is { } to => $"the redirect from {f.Device} to {to}",
            U32Filter f when f.Divisor is not null => $"the MAC hash table on {f.Device}",
            U32Filter f when f.Link is not null => $"the link to the MAC hash table on {f.Device}",
            U32Filter f => $"a filter on {f.Device}",
            IfbLink l when ShapingTree.ParseIfb(l.Device) is { } tree => op.Verb == TcVerb.Delete
                ? $"the {(tree.Direction == Direction.Inbound ? "inbound" : "outbound")} tree on {l.Device} (its floors and classes)"
                : $"the {(tree.Direction == Direction.Inbound ? "inbound" : "outbound")} tree on {l.Device}",
            IfbLink l => $"IFB device {l.Device}",
            _ => op.Target.Key.ToString(),
        };
        return $"{done} {what}";
    }
}
