using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;

namespace BandwidthOperator.Netlink;

/// <summary>A bridge's forwarding database: <c>bridge fdb show br BRIDGE</c>, resolved against one link snapshot.</summary>
internal static class BridgeFdbDump
{
    /// <summary>
    /// MAC → port of <paramref name="bridge"/> (entries of the bridge device itself left out; the first
    /// entry of a MAC wins); empty when there is no such bridge. One <c>RTM_GETNEIGH</c> dump.
    /// </summary>
    public static IReadOnlyList<(MacAddress Mac, NetworkLink Port)> Read(RtnetlinkSocket socket, string bridge, LinkSnapshot links)
    {
        var br = links.Find(bridge);
        var entries = new List<(MacAddress, NetworkLink)>();
        if (br is null)
        {
            return entries;
        }

        var messages = socket.Dump(NetlinkNumbers.RTM_GETNEIGH, w => w.NdMsg(NetlinkNumbers.AF_BRIDGE), $"bridge fdb show br {bridge}", bridge);
        foreach (var m in messages)
        {
            if (LinkCodec.DecodeFdb(m) is { } e && e.Port != br.Index && links.At(e.Port) is { } port
                && (e.Master == br.Index || port.MasterIndex == br.Index))
            {
                entries.Add((e.Mac, port));
            }
        }

        return entries;
    }
}
