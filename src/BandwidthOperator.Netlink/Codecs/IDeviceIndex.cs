namespace BandwidthOperator.Netlink.Codecs;

/// <summary>Maps device names to interface indexes and back (what the codecs need; a link dump provides it).</summary>
internal interface IDeviceIndex
{
    /// <summary>The ifindex of <paramref name="device"/>, or null when there is no such device.</summary>
    int? IndexOf(string device);

    /// <summary>The name of <paramref name="ifindex"/>, or null when there is no such device.</summary>
    string? NameOf(int ifindex);
}
