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
    private readonly Entry[] _entries;
    private readonly int _networks;
    private readonly KeyValuePair<string, string>[]? _nodeLabels;
    private readonly KeyValuePair<string, KeyValuePair<string, string>[]>[]? _namespaceLabels;

    private RequestFingerprint(NodeRequest request)
    {
        _node = request.NodeName;
        _prune = request.PruneUnnamedBridges;
        _entries = [.. request.Networks.Select(n => Of(n.Metadata, n)), .. request.Interfaces.Select(Of)];
        _networks = request.Networks.Count;
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
        && _node == other._node
        && _prune == other._prune
        && _entries.AsSpan().SequenceEqual(other._entries)
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
        if (_node != older._node || _prune != older._prune || _networks != older._networks || _entries.Length <= older._entries.Length
            || !_entries.AsSpan(0, _networks).SequenceEqual(older._entries.AsSpan(0, _networks))
            || !LabelsEqual(_nodeLabels, older._nodeLabels)
            || !NamespaceLabelsEqual(_namespaceLabels, older._namespaceLabels))
        {
            return false;
        }

        var mine = _entries.AsSpan(_networks);
        var theirs = older._entries.AsSpan(_networks);
        var j = 0;
        for (var i = 0; i < mine.Length; i++)
        {
            if (j < theirs.Length && mine[i].Equals(theirs[j]))
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

        return j == theirs.Length && added.Count > 0;
    }

    public override int GetHashCode() => HashCode.Combine(_node, _entries.Length);

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
