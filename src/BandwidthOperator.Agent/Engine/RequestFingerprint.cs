using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// What a <see cref="NodeRequest"/> is made of, cheaply comparable: each network and interface by
/// uid and resourceVersion (the API server's word that nothing in it changed) — or, for objects that
/// never came from an API server (manifests, benchmarks), by the object instance itself — plus the
/// fields the agent fills in itself on copies that keep the stored metadata (a target-bound
/// interface's node, MAC and class IDs), the node's and namespaces' labels and the prune flag.
/// Two requests with equal fingerprints plan alike on the same kernel facts (<see cref="NodeConverger"/>).
/// A member added to <see cref="NodeRequest"/> that changes plans must be added here too.
/// </summary>
public sealed class RequestFingerprint : IEquatable<RequestFingerprint>
{
    private readonly string _node;
    private readonly bool _prune;
    // In chunks below the large-object threshold: a fingerprint is made on every reconcile, and 2,000 entries in one
    // array would go to the large-object heap (and bring on full collections).
    private const int ChunkShift = 9;
    private const int ChunkSize = 1 << ChunkShift;
    private readonly Entry[][] _chunks;
    private readonly int _count;
    private readonly int _networks;
    private readonly KeyValuePair<string, string>[]? _nodeLabels;
    private readonly KeyValuePair<string, KeyValuePair<string, string>[]>[]? _namespaceLabels;

    private RequestFingerprint(NodeRequest request)
    {
        _node = request.NodeName;
        _prune = request.PruneUnnamedBridges;
        _networks = request.Networks.Count;
        _count = _networks + request.Interfaces.Count;
        _chunks = new Entry[(_count + ChunkSize - 1) >> ChunkShift][];
        for (var c = 0; c < _chunks.Length; c++)
        {
            _chunks[c] = new Entry[Math.Min(ChunkSize, _count - (c << ChunkShift))];
        }

        var i = 0;
        foreach (var n in request.Networks)
        {
            Set(i++, Of(n.Metadata, n));
        }

        foreach (var ibw in request.Interfaces)
        {
            Set(i++, Of(ibw));
        }
        _nodeLabels = request.NodeLabels is { } l ? Sorted(l) : null;
        _namespaceLabels = request.NamespaceLabels is { } ns
            ? [.. ns.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))]
            : null;
    }

    public static RequestFingerprint Of(NodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RequestFingerprint(request);
    }

    public bool Equals(RequestFingerprint? other) =>
        other is not null
        && _count == other._count
        && SameBesideInterfaces(other)
        && _chunks.AsSpan().SequenceEqual(other._chunks, ChunkComparer.Instance);

    /// <summary>The same node, prune flag, networks and labels as <paramref name="other"/>: all but the interfaces.</summary>
    private bool SameBesideInterfaces(RequestFingerprint other) =>
        _node == other._node
        && _prune == other._prune
        && _networks == other._networks
        && Enumerable.Range(0, _networks).All(n => At(n).Equals(other.At(n)))
        && LabelsEqual(_nodeLabels, other._nodeLabels)
        && NamespaceLabelsEqual(_namespaceLabels, other._namespaceLabels);

    private static bool NamespaceLabelsEqual(KeyValuePair<string, KeyValuePair<string, string>[]>[]? a, KeyValuePair<string, KeyValuePair<string, string>[]>[]? b) =>
        a is null ? b is null
            : b is not null && a.Length == b.Length && a.Zip(b).All(p => p.First.Key == p.Second.Key && LabelsEqual(p.First.Value, p.Second.Value));

    public override bool Equals(object? obj) => Equals(obj as RequestFingerprint);

    /// <summary>
    /// Whether this request is <paramref name="older"/> with interfaces added and nothing else changed: the same
    /// node, prune flag, labels and networks, and every interface of <paramref name="older"/> still there, unchanged,
    /// in the same order. <paramref name="added"/> are the positions (in this request's interfaces) of the others;
    /// <paramref name="atEnd"/> says whether they all come after the unchanged ones.
    /// </summary>
    public bool IsAppendedTo(RequestFingerprint older, out List<int> added, out bool atEnd)
    {
        ArgumentNullException.ThrowIfNull(older);
        added = [];
        atEnd = true;
        if (_count <= older._count || !SameBesideInterfaces(older))
        {
            return false;
        }

        var theirs = older._count - _networks;
        var j = 0;
        for (var i = 0; i < _count - _networks; i++)
        {
            if (j < theirs && At(_networks + i).Equals(older.At(_networks + j)))
            {
                j++;
                if (added.Count > 0)
                {
                    atEnd = false;
                }
            }
            else
            {
                added.Add(i);
            }
        }

        return j == theirs && added.Count > 0;
    }

    /// <summary>
    /// Whether this request is <paramref name="older"/> with some interfaces changed in place and nothing else: the same
    /// node, prune flag, labels, networks and interfaces in the same order, each changed one the same object (uid) in a
    /// newer version. <paramref name="changed"/> are their positions in the request's interfaces.
    /// </summary>
    public bool IsUpdateOf(RequestFingerprint older, out List<int> changed)
    {
        ArgumentNullException.ThrowIfNull(older);
        changed = [];
        if (_count != older._count || !SameBesideInterfaces(older))
        {
            return false;
        }

        for (var i = _networks; i < _count; i++)
        {
            var (mine, theirs) = (At(i), older.At(i));
            if (mine.Equals(theirs))
            {
                continue;
            }

            if (mine.Uid is null || mine.Uid != theirs.Uid)
            {
                return false;
            }

            changed.Add(i - _networks);
        }

        return changed.Count > 0;
    }

    public override int GetHashCode() => HashCode.Combine(_node, _count);

    private Entry At(int i) => _chunks[i >> ChunkShift][i & (ChunkSize - 1)];

    private void Set(int i, Entry e) => _chunks[i >> ChunkShift][i & (ChunkSize - 1)] = e;

    private sealed class ChunkComparer : IEqualityComparer<Entry[]>
    {
        public static readonly ChunkComparer Instance = new();

        public bool Equals(Entry[]? x, Entry[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(Entry[] obj) => obj.Length;
    }

    private static Entry Of(k8s.Models.V1ObjectMeta? meta, object item) =>
        string.IsNullOrEmpty(meta?.ResourceVersion)
            ? new Entry(null, null, meta?.NamespaceProperty, meta?.Name, item, null, null, null, null)
            : new Entry(meta.Uid, meta.ResourceVersion, meta.NamespaceProperty, meta.Name, null, null, null, null, null);

    private static Entry Of(InterfaceBandwidth i) => Of(i.Metadata, i) with
    {
        NodeName = i.Spec?.NodeName,
        Mac = i.Spec?.MacAddress,
        ClassId = i.Status?.ClassId,
        OutboundClassId = i.Status?.OutboundClassId,
    };

    private static KeyValuePair<string, string>[] Sorted(IReadOnlyDictionary<string, string> labels) =>
        [.. labels.OrderBy(kv => kv.Key, StringComparer.Ordinal)];

    private static bool LabelsEqual(KeyValuePair<string, string>[]? a, KeyValuePair<string, string>[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>One object: by uid/resourceVersion, or by instance (<see cref="Instance"/>, compared by reference).</summary>
    private readonly record struct Entry(string? Uid, string? ResourceVersion, string? Namespace, string? Name, object? Instance, string? NodeName, string? Mac, int? ClassId, int? OutboundClassId)
    {
        public bool Equals(Entry other) =>
            Uid == other.Uid && ResourceVersion == other.ResourceVersion && Namespace == other.Namespace && Name == other.Name
            && ReferenceEquals(Instance, other.Instance) && NodeName == other.NodeName && Mac == other.Mac
            && ClassId == other.ClassId && OutboundClassId == other.OutboundClassId;

        public override int GetHashCode() => HashCode.Combine(Uid, ResourceVersion, Name);
    }
}
