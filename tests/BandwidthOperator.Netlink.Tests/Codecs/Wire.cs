using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;

namespace BandwidthOperator.Netlink.Tests.Codecs;

/// <summary>Encodes one message as the kernel would receive it and reads it back as a dump reply.</summary>
internal static class Wire
{
    public static readonly DeviceIndex Devices = new([KeyValuePair.Create("br0", 7), KeyValuePair.Create("ifb0", 9)]);

    public static (NetlinkMessage Raw, TcMessage Tc) Encode(Action<NetlinkWriter> encode)
    {
        var w = new NetlinkWriter(64);
        encode(w);
        var raw = NetlinkMessage.Split(w.Written).ShouldHaveSingleItem();
        return (raw, TcMessage.Parse(raw));
    }
}
