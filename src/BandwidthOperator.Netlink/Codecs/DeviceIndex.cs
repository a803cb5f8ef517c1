namespace BandwidthOperator.Netlink.Codecs;

/// <summary>A fixed name ↔ ifindex table (from one link dump, or made up in tests).</summary>
internal sealed class DeviceIndex : IDeviceIndex
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _byIndex = [];

    public DeviceIndex(IEnumerable<KeyValuePair<string, int>> devices)
    {
        foreach (var (name, index) in devices)
        {
            _byName[name] = index;
            _byIndex[index] = name;
        }
    }

    public int? IndexOf(string device) => _byName.TryGetValue(device, out var i) ? i : null;

    public string? NameOf(int ifindex) => _byIndex.TryGetValue(ifindex, out var n) ? n : null;
}
