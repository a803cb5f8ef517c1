using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Every network device of a namespace from one link dump (<c>ip -d link show</c>), with lookups by
/// name and by index. A read takes one snapshot and answers every question from it, instead of
/// dumping the links again for each device it looks up.
/// </summary>
public sealed class LinkSnapshot
{
    private readonly Dictionary<string, NetworkLink> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, NetworkLink> _byIndex = [];
    private DeviceIndex? _index;

    public LinkSnapshot(IReadOnlyList<NetworkLink> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        Links = links;
        foreach (var l in links)
        {
            _byName[l.Name] = l;
            _byIndex[l.Index] = l;
        }
    }

    public IReadOnlyList<NetworkLink> Links { get; }

    /// <summary>The device named <paramref name="name"/> (<c>ip link show dev NAME</c>), or null.</summary>
    public NetworkLink? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The device with index <paramref name="ifindex"/>, or null.</summary>
    public NetworkLink? At(int ifindex) => _byIndex.GetValueOrDefault(ifindex);

    /// <summary>Name ↔ index, for encoding filters that name devices (mirred redirects).</summary>
    internal DeviceIndex Index => _index ??= new DeviceIndex(Links.Select(l => KeyValuePair.Create(l.Name, l.Index)));

    /// <summary>One <c>RTM_GETLINK</c> dump: <c>ip -d link show</c>.</summary>
    internal static LinkSnapshot Read(RtnetlinkSocket socket)
    {
        var messages = socket.Dump(NetlinkNumbers.RTM_GETLINK, w => w.IfInfoMsg(0), "ip link show");
        var links = new List<NetworkLink>(messages.Count);
        foreach (var m in messages)
        {
            if (LinkCodec.DecodeLink(m) is { } link)
            {
                links.Add(link);
            }
        }

        return new LinkSnapshot(links);
    }
}
