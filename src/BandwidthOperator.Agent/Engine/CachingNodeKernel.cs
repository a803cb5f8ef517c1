using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// The agent's view of the kernel, kept per bridge and kept current by the kernel's change
/// notifications (docs/architecture.md, "The kernel view"). Three kinds of part are cached: the
/// devices (one link dump), each bridge's tc objects (its own, its ports', its IFB trees') and each
/// bridge's forwarding database. A read asks the kernel only for the parts that are missing, were
/// invalidated, or are older than <see cref="MaxAge"/> (the safety net: a full read now and then even
/// if a notification was lost); when no part changed it returns the very same <see cref="NodeFacts"/>
/// instance, which is how <see cref="NodeConverger"/> knows nothing changed. Its facts carry no counters
/// (<see cref="ReadClassCounters"/> reads those fresh).
/// <list type="bullet">
/// <item><see cref="Observe"/> takes the tc monitor's notifications: a tc change on a device of bridge X
/// drops X's tc objects; a link change drops the devices (and X's objects when the device is X's); an FDB
/// change drops X's forwarding database; lost notifications drop everything. Changes sent from our own
/// socket are skipped: <see cref="Apply"/> already dropped what it touched, and the read-back re-reads it.</item>
/// <item>A part read while a notification for it arrived is used once but not kept (the notification may
/// describe a change the read did not see).</item>
/// </list>
/// Thread-safe: notifications come from the monitor's thread; calls into the inner kernel are serialised.
/// </summary>
public sealed class CachingNodeKernel : INodeKernel, IKernelCounters, IClassCounterReader
{
    private static readonly IReadOnlyDictionary<TcObjectKey, TcCounters> NoCounters = new Dictionary<TcObjectKey, TcCounters>();
    private readonly IKernelParts _inner;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Lock _kernelGate = new();

    // Guarded by _gate. A generation counts the invalidations of a part; a read keeps what it read only
    // when the generation it started with is still current (no notification came in between).
    private Part<IReadOnlyDictionary<string, DeviceFacts>>? _devices;
    private long _devicesGeneration;
    private readonly Dictionary<string, BridgeView> _views = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _viewGenerations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Part<IReadOnlyDictionary<MacAddress, string>>> _fdbs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fdbGenerations = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _ownerByIndex = [];
    private readonly Dictionary<string, string> _ownerByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingReadBack> _readBack = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Composite> _composites = new(StringComparer.Ordinal);
    private long _unattributed;
    private bool _watched;

    public CachingNodeKernel(IKernelParts inner, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Whether change notifications are flowing (the tc monitor runs and feeds <see cref="Observe"/>). Until
    /// then, and again after the monitor failed, nothing is served from the cache: every read asks the kernel.
    /// </summary>
    public bool Watched
    {
        get
        {
            lock (_gate)
            {
                return _watched;
            }
        }

        set
        {
            lock (_gate)
            {
                _watched = value;
                DropEverything();
            }
        }
    }

    /// <summary>How old a part may get before it is read again even without a notification (the safety net). Infinite: never.</summary>
    public TimeSpan MaxAge { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>The kernel the parts are read from.</summary>
    public IKernelParts Inner => _inner;

    /// <summary>The inner kernel's dumps: what reading really cost.</summary>
    public long KernelReads => _inner.KernelReads;

    public long KernelWrites => _inner.KernelWrites;

    /// <summary>Notifications taken that were not our own changes (each may have dropped cached parts), for tests and benchmarks.</summary>
    public long Invalidations { get; private set; }

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges) => ReadFacts(bridges, wholeNode: true);

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges, bool wholeNode) => Read(bridges, wholeNode, null, out _);

    /// <summary>
    /// As <see cref="ReadFacts(IReadOnlyCollection{string}, bool)"/>; <paramref name="readBack"/> is the objects the last pass
    /// wrote, as read back one by one, when they are all that changed since <paramref name="before"/> was returned: every
    /// part of the read is the very part <paramref name="before"/> was made of, or that part with the written objects
    /// patched in, and each patched view was kept (no notification for its bridge while reading back). A part dropped
    /// in between (a notification, <see cref="Refresh"/>, a pass that deleted something or made a device), read again
    /// or aged out makes it null.
    /// </summary>
    public NodeFacts ReadBackFacts(IReadOnlyCollection<string> bridges, bool wholeNode, NodeFacts before, out IReadOnlyDictionary<TcObjectKey, TcObject>? readBack)
    {
        ArgumentNullException.ThrowIfNull(before);
        return Read(bridges, wholeNode, before, out readBack);
    }

    private NodeFacts Read(IReadOnlyCollection<string> bridges, bool wholeNode, NodeFacts? before, out IReadOnlyDictionary<TcObjectKey, TcObject>? readBack)
    {
        ArgumentNullException.ThrowIfNull(bridges);
        readBack = null;
        var named = bridges.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var key = string.Join('\n', named) + (wholeNode ? "\n*" : string.Empty);
        lock (_kernelGate)
        {
            Composite? prior = null;
            if (before is not null)
            {
                lock (_gate)
                {
                    if (_composites.TryGetValue(key, out var c) && ReferenceEquals(c.Facts, before))
                    {
                        prior = c;
                    }
                }
            }

            var devices = Devices();
            var scope = BridgeDevices.Scope(named, devices.Value, wholeNode);
            var patched = new List<Patch>();
            var views = Views(scope, devices.Value, patched);
            var fdbs = named.Where(b => devices.Value.TryGetValue(b, out var d) && d.IsBridge).Select(Fdb).ToArray();
            var parts = new object[] { devices }.Concat(views).Concat(fdbs).ToArray();
            if (prior is not null)
            {
                readBack = OnlyWritten(prior.Parts, parts, patched);
            }

            lock (_gate)
            {
                if (_composites.TryGetValue(key, out var last) && last.Parts.SequenceEqual(parts, ReferenceEqualityComparer.Instance))
                {
                    return last.Facts;
                }
            }

            var facts = new NodeFacts(
                devices.Value,
                fdbs.ToDictionary(f => f.Bridge!, f => f.Value, StringComparer.Ordinal),
                NodeFactsReader.LeafKind(_inner, named),
                Merge(views));
            lock (_gate)
            {
                _composites[key] = new Composite(facts, parts);
            }

            return facts;
        }
    }

    /// <summary>
    /// The classes of <paramref name="devices"/> with counters, read from the inner kernel now (serialised with the
    /// reconciles' calls: one socket), never from or into the cached view: counters for <c>/metrics</c> at scrape time.
    /// Empty when the inner kernel cannot read them alone.
    /// </summary>
    public TcSnapshot ReadClassCounters(IReadOnlyCollection<string> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (_inner is not IClassCounterReader reader)
        {
            return TcSnapshot.Empty;
        }

        lock (_kernelGate)
        {
            return reader.ReadClassCounters(devices);
        }
    }

    /// <summary>
    /// Applies through the inner kernel. What it wrote is read back before the next use: when the pass only
    /// added or changed qdiscs, classes and filters on devices of cached bridges, object by object and patched
    /// into the cached view — as the kernel echoed each with its ack (<see cref="IKernelParts.ApplyReadingBack"/>,
    /// device names resolved against the cached links), else with one get each (<see cref="IKernelParts.ReadObjects"/>);
    /// otherwise (deletes, IFB devices, devices not cached, a refused operation) the bridges it touched are dumped again.
    /// </summary>
    public KernelApplyResult Apply(IReadOnlyList<TcOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        lock (_kernelGate)
        {
            var readBack = false;
            var knownDevices = false;
            var started = new Dictionary<string, PendingReadBack>(StringComparer.Ordinal);
            lock (_gate)
            {
                readBack = _watched && operations.All(op => op.Verb != TcVerb.Delete && op.Target is Qdisc or HtbClass or U32Filter
                    && _ownerByName.TryGetValue(op.Target.Device, out var b) && _views.ContainsKey(b));
                if (readBack)
                {
                    knownDevices = _devices is not null;
                    foreach (var op in operations)
                    {
                        var bridge = _ownerByName[op.Target.Device];
                        if (!_readBack.TryGetValue(bridge, out var pending))
                        {
                            pending = _readBack[bridge] = new PendingReadBack();
                        }

                        pending.Written[op.Target.Key] = op.Target;
                        pending.Echoed = null; // what an earlier pass echoed no longer covers everything written
                        started[bridge] = pending;
                    }
                }
                else
                {
                    Forget(operations);
                }
            }

            TcSnapshot? echoed = null;
            var result = readBack ? _inner.ApplyReadingBack(operations, knownDevices, out echoed) : _inner.Apply(operations);
            lock (_gate)
            {
                if (!readBack || !result.Succeeded)
                {
                    Forget(operations);
                }
                else if (echoed is not null)
                {
                    // Kept only where nothing dropped the bridge's view while applying (its pending read-back is still this one).
                    foreach (var (bridge, pending) in started)
                    {
                        if (_readBack.TryGetValue(bridge, out var current) && ReferenceEquals(current, pending))
                        {
                            pending.Echoed = echoed;
                        }
                    }
                }
            }

            return result;
        }
    }

    public void Refresh(IReadOnlyCollection<string> bridges)
    {
        ArgumentNullException.ThrowIfNull(bridges);
        lock (_gate)
        {
            foreach (var b in bridges)
            {
                DropView(b);
                DropFdb(b);
            }
        }
    }

    /// <summary>Drops every cached part: the next read asks the kernel for everything.</summary>
    public void InvalidateAll()
    {
        lock (_gate)
        {
            DropEverything();
        }
    }

    /// <summary>Takes a notification from the tc monitor (<see cref="TcMonitor"/>) and drops the parts it may have changed.</summary>
    public void Observe(TcChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (change.Overrun)
            {
                DropEverything();
                return;
            }

            if (change.SenderPortId != 0 && change.SenderPortId == _inner.PortId)
            {
                return;
            }

            Invalidations++;
            var bridge = OwnerOf(change);
            if (change.Fdb)
            {
                if (bridge is not null)
                {
                    DropFdb(bridge);
                }
                else
                {
                    foreach (var b in _fdbs.Keys.ToList())
                    {
                        DropFdb(b);
                    }
                }

                return;
            }

            if (change.Link)
            {
                _devices = null;
                _devicesGeneration++;
            }

            if (bridge is not null)
            {
                DropView(bridge);
            }
            else
            {
                // A device no bridge of ours covers: nothing cached describes it, but a read under way may
                // be about to learn that it belongs to a bridge; that read keeps nothing.
                _unattributed++;
            }
        }
    }

    public void Dispose() => _inner.Dispose();

    private Part<IReadOnlyDictionary<string, DeviceFacts>> Devices()
    {
        long generation;
        lock (_gate)
        {
            if (_devices is { } cached && Fresh(cached.ReadAt))
            {
                return cached;
            }

            generation = _devicesGeneration;
        }

        var read = new Part<IReadOnlyDictionary<string, DeviceFacts>>(null, _inner.ReadDevices(), _time.GetTimestamp());
        lock (_gate)
        {
            if (generation == _devicesGeneration)
            {
                _devices = read;
            }
        }

        return read;
    }

    private Part<IReadOnlyDictionary<MacAddress, string>> Fdb(string bridge)
    {
        long generation;
        lock (_gate)
        {
            if (_fdbs.TryGetValue(bridge, out var cached) && Fresh(cached.ReadAt))
            {
                return cached;
            }

            generation = _fdbGenerations.GetValueOrDefault(bridge);
        }

        var read = new Part<IReadOnlyDictionary<MacAddress, string>>(bridge, _inner.ReadFdb(bridge), _time.GetTimestamp());
        lock (_gate)
        {
            if (generation == _fdbGenerations.GetValueOrDefault(bridge))
            {
                _fdbs[bridge] = read;
            }
        }

        return read;
    }

    /// <summary>The tc objects of each bridge in <paramref name="scope"/>: cached, or read (all missing ones in one dump).</summary>
    private List<BridgeView> Views(IReadOnlyList<string> scope, IReadOnlyDictionary<string, DeviceFacts> devices, List<Patch> patched)
    {
        var result = new BridgeView?[scope.Count];
        var stale = new List<(int Slot, string Bridge, IReadOnlyDictionary<string, int> Needed, long Generation)>();
        var patch = new List<(int Slot, BridgeView View, PendingReadBack Written, long Generation)>();
        long unattributed;
        lock (_gate)
        {
            unattributed = _unattributed;
            for (var i = 0; i < scope.Count; i++)
            {
                var needed = BridgeDevices.Of(scope[i], devices);
                if (_views.TryGetValue(scope[i], out var view) && Fresh(view.ReadAt) && SameDevices(view.Devices, needed))
                {
                    result[i] = view;
                    if (_readBack.Remove(scope[i], out var written))
                    {
                        patch.Add((i, view, written, _viewGenerations.GetValueOrDefault(scope[i])));
                    }
                }
                else
                {
                    _readBack.Remove(scope[i]);
                    stale.Add((i, scope[i], needed, _viewGenerations.GetValueOrDefault(scope[i])));
                }
            }
        }

        // What the last pass wrote: read back object by object (as the kernel echoed it, else one get each) and
        // patched in; a bridge where that is not enough (an object the kernel does not hold as written) is dumped
        // again with the stale ones.
        foreach (var p in patch)
        {
            var got = p.Written.EchoedWritten() ?? _inner.ReadObjects([.. p.Written.Written.Values]);
            if (got.ForeignObjects.Count > 0)
            {
                stale.Add((p.Slot, p.View.Bridge, p.View.Devices, p.Generation));
                continue;
            }

            var view = Patched(p.View, got);
            result[p.Slot] = view;
            lock (_gate)
            {
                var kept = p.Generation == _viewGenerations.GetValueOrDefault(p.View.Bridge);
                if (kept)
                {
                    Keep(view);
                }

                patched.Add(new Patch(p.View, view, got, kept));
            }
        }

        if (stale.Count > 0)
        {
            var read = _inner.ReadTc([.. stale.SelectMany(s => s.Needed.Keys).Distinct(StringComparer.Ordinal)]);
            var at = _time.GetTimestamp();
            var owner = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var s in stale)
            {
                foreach (var d in s.Needed.Keys)
                {
                    owner.TryAdd(d, s.Bridge);
                }
            }

            var split = Split(read, owner);
            lock (_gate)
            {
                foreach (var s in stale)
                {
                    var view = new BridgeView(s.Bridge, s.Needed, split.GetValueOrDefault(s.Bridge) ?? TcSnapshot.Empty, at);
                    result[s.Slot] = view;
                    if (s.Generation == _viewGenerations.GetValueOrDefault(s.Bridge) && unattributed == _unattributed)
                    {
                        Keep(view);
                    }
                }
            }
        }

        return [.. result.Select(v => v!)];
    }

    /// <summary>
    /// The objects read back, when they are the only difference between the parts of two reads (see
    /// <see cref="ReadBackFacts"/>): each part the same instance, or the earlier one patched and kept; else null.
    /// </summary>
    private static Dictionary<TcObjectKey, TcObject>? OnlyWritten(object[] before, object[] after, List<Patch> patched)
    {
        if (before.Length != after.Length)
        {
            return null;
        }

        var got = new Dictionary<TcObjectKey, TcObject>();
        for (var i = 0; i < after.Length; i++)
        {
            if (ReferenceEquals(before[i], after[i]))
            {
                continue;
            }

            var patch = patched.Find(p => ReferenceEquals(p.To, after[i]));
            if (patch is null || !patch.Kept || !ReferenceEquals(patch.From, before[i]))
            {
                return null;
            }

            foreach (var o in patch.Got.Objects)
            {
                got[o.Key] = o;
            }
        }

        return got;
    }

    private void Keep(BridgeView view)
    {
        if (_views.Remove(view.Bridge, out var old))
        {
            foreach (var (name, index) in old.Devices)
            {
                _ownerByIndex.Remove(index);
                _ownerByName.Remove(name);
            }
        }

        _views[view.Bridge] = view;
        foreach (var (name, index) in view.Devices)
        {
            _ownerByIndex[index] = view.Bridge;
            _ownerByName[name] = view.Bridge;
        }
    }

    /// <summary>Drops what <paramref name="operations"/> touched (the caller holds <c>_gate</c>).</summary>
    private void Forget(IReadOnlyList<TcOperation> operations)
    {
        foreach (var op in operations)
        {
            if (op.Target is IfbLink)
            {
                _devices = null;
                _devicesGeneration++;
            }

            if (_ownerByName.TryGetValue(op.Target.Device, out var bridge))
            {
                DropView(bridge);
            }
            else
            {
                // A device no cached bridge covers yet (an IFB being made): whatever it joins is read again.
                DropViews();
            }
        }
    }

    private string? OwnerOf(TcChange change)
    {
        if (change.IfIndex != 0 && _ownerByIndex.TryGetValue(change.IfIndex, out var byIndex))
        {
            return byIndex;
        }

        if (change.Device is not { } name)
        {
            return null;
        }

        if (_ownerByName.TryGetValue(name, out var byName))
        {
            return byName;
        }

        // A bridge is its own owner; an FDB change names the bridge even before its tc objects were read.
        return _views.ContainsKey(name) || change.Fdb ? name : null;
    }

    private void DropView(string bridge)
    {
        _viewGenerations[bridge] = _viewGenerations.GetValueOrDefault(bridge) + 1;
        _views.Remove(bridge);
        _readBack.Remove(bridge);
    }

    private void DropViews()
    {
        foreach (var b in _views.Keys.ToList())
        {
            DropView(b);
        }

        _unattributed++;
    }

    private void DropFdb(string bridge)
    {
        _fdbGenerations[bridge] = _fdbGenerations.GetValueOrDefault(bridge) + 1;
        _fdbs.Remove(bridge);
    }

    private void DropEverything()
    {
        Invalidations++;
        _devices = null;
        _devicesGeneration++;
        DropViews();
        foreach (var b in _fdbs.Keys.ToList())
        {
            DropFdb(b);
        }

        _ownerByIndex.Clear();
        _ownerByName.Clear();
    }

    private bool Fresh(long readAt) => _watched && (MaxAge == Timeout.InfiniteTimeSpan || _time.GetElapsedTime(readAt) < MaxAge);

    private static bool SameDevices(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var i) && i == kv.Value);

    /// <summary>
    /// One dump of several bridges' devices, cut per bridge (objects and foreign objects by device). Counters are not
    /// kept: the planner does not use them and they are stale as soon as read (<c>/metrics</c> reads them fresh,
    /// <see cref="ReadClassCounters"/>); a view without them costs less to hold and to patch.
    /// </summary>
    private static Dictionary<string, TcSnapshot> Split(TcSnapshot read, Dictionary<string, string> owner)
    {
        var objects = new Dictionary<string, List<TcObject>>(StringComparer.Ordinal);
        var foreign = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var o in read.Objects)
        {
            if (owner.TryGetValue(o.Device, out var b))
            {
                (objects.TryGetValue(b, out var list) ? list : objects[b] = []).Add(o);
            }
        }

        foreach (var f in read.ForeignObjects)
        {
            var at = f.LastIndexOf(" dev ", StringComparison.Ordinal);
            if (at >= 0 && owner.TryGetValue(f[(at + 5)..], out var b))
            {
                (foreign.TryGetValue(b, out var list) ? list : foreign[b] = []).Add(f);
            }
        }

        return owner.Values.Distinct(StringComparer.Ordinal).ToDictionary(
            b => b,
            b => new TcSnapshot(objects.GetValueOrDefault(b) ?? [], NoCounters, foreign.GetValueOrDefault(b) ?? []),
            StringComparer.Ordinal);
    }

    /// <summary><paramref name="view"/> with the objects read back in place of (or beside) those it had.</summary>
    private static BridgeView Patched(BridgeView view, TcSnapshot got)
    {
        var replaced = got.Objects.Select(o => o.Key).ToHashSet();

        // Both lists are sorted by key: one merge, no sort.
        var objects = new List<TcObject>(view.Snapshot.Objects.Count + got.Objects.Count);
        using var added = got.Objects.OrderBy(o => o.Key).GetEnumerator();
        var more = added.MoveNext();
        foreach (var o in view.Snapshot.Objects)
        {
            if (replaced.Contains(o.Key))
            {
                continue;
            }

            while (more && added.Current.Key.CompareTo(o.Key) < 0)
            {
                objects.Add(added.Current);
                more = added.MoveNext();
            }

            objects.Add(o);
        }

        while (more)
        {
            objects.Add(added.Current);
            more = added.MoveNext();
        }

        // ReadAt stays: a few objects read back do not make the rest any younger (the safety net still comes).
        return view with { Snapshot = new TcSnapshot(objects, NoCounters, view.Snapshot.ForeignObjects) };
    }

    private static TcSnapshot Merge(List<BridgeView> views)
    {
        if (views.Count == 0)
        {
            return TcSnapshot.Empty;
        }

        if (views.Count == 1)
        {
            return views[0].Snapshot;
        }

        var counters = new Dictionary<TcObjectKey, TcCounters>();
        foreach (var v in views)
        {
            foreach (var (k, c) in v.Snapshot.Counters)
            {
                counters[k] = c;
            }
        }

        return new TcSnapshot(
            [.. views.SelectMany(v => v.Snapshot.Objects).OrderBy(o => o.Key)],
            counters,
            [.. views.SelectMany(v => v.Snapshot.ForeignObjects)]);
    }

    /// <summary>A cached part: its value, when it was read, and (FDB) the bridge it belongs to.</summary>
    private sealed record Part<T>(string? Bridge, T Value, long ReadAt);

    /// <summary>One bridge's tc objects, and which devices (name → ifindex) they were read from.</summary>
    private sealed record BridgeView(string Bridge, IReadOnlyDictionary<string, int> Devices, TcSnapshot Snapshot, long ReadAt);

    /// <summary>A view patched with objects read back (<paramref name="Got"/>), and whether the patched view was kept (no drop while reading back).</summary>
    private sealed record Patch(BridgeView From, BridgeView To, TcSnapshot Got, bool Kept);

    /// <summary>
    /// What passes wrote on one bridge since its view was last read or patched, by key, and what the kernel echoed for
    /// the last of them (null: nothing, or not for everything written; the objects are then read back with gets).
    /// </summary>
    private sealed class PendingReadBack
    {
        public Dictionary<TcObjectKey, TcObject> Written { get; } = [];

        public TcSnapshot? Echoed { get; set; }

        /// <summary>The echoed version of every object written (the echo may cover other bridges' objects too: only these are taken), or null when one is missing.</summary>
        public TcSnapshot? EchoedWritten()
        {
            if (Echoed is not { } echo || echo.ForeignObjects.Count > 0)
            {
                return null;
            }

            var byKey = new Dictionary<TcObjectKey, TcObject>(echo.Objects.Count);
            foreach (var o in echo.Objects)
            {
                byKey[o.Key] = o;
            }

            var objects = new List<TcObject>(Written.Count);
            var counters = new Dictionary<TcObjectKey, TcCounters>(Written.Count);
            foreach (var key in Written.Keys)
            {
                if (!byKey.TryGetValue(key, out var o))
                {
                    return null;
                }

                objects.Add(o);
                if (echo.Counters.TryGetValue(key, out var c))
                {
                    counters[key] = c;
                }
            }

            objects.Sort((a, b) => a.Key.CompareTo(b.Key));
            return new TcSnapshot(objects, counters, []);
        }
    }

    /// <summary>The facts last returned for one (bridges, whole node) read, and the part instances they were made of.</summary>
    private sealed record Composite(NodeFacts Facts, object[] Parts);
}
