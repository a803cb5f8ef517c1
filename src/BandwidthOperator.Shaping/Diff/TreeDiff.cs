using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Diff;

/// <summary>
/// diff(desired, observed) → ordered operations. Pure. Objects that are right are not touched; a
/// changed class or qdisc of the same kind is a <c>change</c> (counters survive); a changed filter or a
/// qdisc of another kind is deleted and added. Deletes come first, children before parents, and an
/// object whose container is deleted anyway is not deleted on its own; adds and changes follow,
/// parents before children. <paramref name="owned"/> must hold only observed objects the agent owns:
/// anything in it that is not desired is removed, except u32 hash tables and links (see below).
/// </summary>
public static class TreeDiff
{
    /// <param name="recreate">
    /// Classes that must be deleted and added rather than changed (observed, desired): HTB keeps a class's
    /// token deficit across a change, so a class that borrowed far beyond a token rate would not get a new
    /// guaranteed rate for up to a minute. Its leaf qdisc and the filters that point to it are recreated with it.
    /// </param>
    public static IReadOnlyList<TcOperation> Plan(IEnumerable<TcObject> desired, IEnumerable<TcObject> owned, Func<HtbClass, HtbClass, bool>? recreate = null)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(owned);
        var want = new Dictionary<TcObjectKey, TcObject>(desired.TryGetNonEnumeratedCount(out var wanted) ? wanted : 0);
        foreach (var d in desired)
        {
            want[d.Key] = d;
        }

        var have = new Dictionary<TcObjectKey, TcObject>(owned.TryGetNonEnumeratedCount(out var held) ? held : 0);
        foreach (var o in owned)
        {
            if (!IsImplicit(o))
            {
                have[o.Key] = o;
            }
        }

        var renewed = new HashSet<(string Device, TcHandle Class)>();
        if (recreate is not null)
        {
            foreach (var (key, d) in want)
            {
                if (d is HtbClass dc && have.TryGetValue(key, out var o) && o is HtbClass oc && recreate(oc, dc))
                {
                    renewed.Add((dc.Device, dc.Handle));
                }
            }
        }

        bool Renewed(TcObject o) => renewed.Count > 0 && o switch
        {
            HtbClass c => renewed.Contains((c.Device, c.Handle)),
            Qdisc q => renewed.Contains((q.Device, q.Parent)),
            U32Filter { FlowId: { } flow } f => renewed.Contains((f.Device, flow)),
            _ => false,
        };

        var deletes = new List<TcObject>();
        var upserts = new List<TcOperation>();
        var matched = 0;
        foreach (var (key, d) in want)
        {
            if (!have.TryGetValue(key, out var o))
            {
                upserts.Add(new TcOperation(TcVerb.Add, d));
                continue;
            }

            matched++;
            if (Renewed(d))
            {
                deletes.Add(o);
                upserts.Add(new TcOperation(TcVerb.Add, d));
            }
            else if (!o.Equals(d))
            {
                if (d is HtbClass || (d is Qdisc dq && o is Qdisc oq && dq.Kind == oq.Kind) || d is IfbLink)
                {
                    upserts.Add(new TcOperation(TcVerb.Change, d));
                }
                else
                {
                    deletes.Add(o);
                    upserts.Add(new TcOperation(TcVerb.Add, d));
                }
            }
        }

        // When every owned object is desired (the common case: nothing or little changed), nothing else goes.
        if (matched != have.Count)
        {
            foreach (var (key, o) in have)
            {
                // u32 hash tables and links stay once made: deleting the last of them makes the kernel drop
                // the whole u32 instance (a later table delete then fails), and a table just unlinked is
                // still "in use" for a while. Empty ones cost nothing; the root qdisc's removal takes them.
                if (!want.ContainsKey(key) && o is not U32Filter { Divisor: not null } and not U32Filter { Link: not null })
                {
                    deletes.Add(o);
                }
            }
        }

        var ops = new List<TcOperation>(deletes.Count + upserts.Count);
        ops.AddRange(OrderDeletes(deletes).Select(o => new TcOperation(TcVerb.Delete, o)));
        ops.AddRange(upserts.OrderBy(op => Rank(op.Target)).ThenBy(op => op.Target.Key));
        return ops;
    }

    /// <summary>Objects the kernel makes by itself: u32's root hash tables (800: and up) and default qdiscs (handle 0).</summary>
    public static bool IsImplicit(TcObject o) => o switch
    {
        U32Filter f => f.Divisor is not null && U32Handle.Htid(f.Handle) >= 0x800 && U32Handle.Node(f.Handle) == 0,
        Qdisc q => q.Handle.Major == 0,
        _ => false,
    };

    /// <summary>Creation order: IFB devices, root qdiscs, top classes, child classes, leaf qdiscs, hash tables, links, nodes.</summary>
    public static int Rank(TcObject o) => o switch
    {
        IfbLink => 0,
        Qdisc q when q.Parent == TcHandle.Root || q.Parent == TcHandle.Ingress => 1,
        HtbClass c when c.Parent.Minor == 0 => 2,
        HtbClass => 3,
        Qdisc => 4,
        U32Filter { Divisor: not null } => 5,
        U32Filter { Link: not null } => 6,
        _ => 7,
    };

    private static IEnumerable<TcObject> OrderDeletes(List<TcObject> deletes)
    {
        var goneDevices = deletes.OfType<IfbLink>().Select(l => l.Device).ToHashSet();
        var goneRoots = deletes.OfType<Qdisc>().Where(q => q.Parent == TcHandle.Root).Select(q => (q.Device, q.Handle.Major)).ToHashSet();
        var goneIngress = deletes.OfType<Qdisc>().Where(q => q.Parent == TcHandle.Ingress).Select(q => q.Device).ToHashSet();
        var goneClasses = deletes.OfType<HtbClass>().Select(c => (c.Device, c.Handle)).ToHashSet();

        bool Covered(TcObject o) => o switch
        {
            IfbLink => false,
            _ when goneDevices.Contains(o.Device) => true,
            Qdisc q when q.Parent == TcHandle.Root || q.Parent == TcHandle.Ingress => false,
            Qdisc q => goneRoots.Contains((q.Device, q.Parent.Major)) || goneClasses.Contains((q.Device, q.Parent)),
            HtbClass c => goneRoots.Contains((c.Device, c.Handle.Major)),
            U32Filter f when f.Parent.Major == 0xFFFF => goneIngress.Contains(f.Device),
            U32Filter f => goneRoots.Contains((f.Device, f.Parent.Major)),
            _ => false,
        };

        return deletes.Where(o => !Covered(o)).OrderByDescending(Rank).ThenBy(o => o.Key);
    }
}
