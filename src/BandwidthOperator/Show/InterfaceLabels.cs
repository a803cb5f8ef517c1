using BandwidthOperator.Api.Manifests;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Show;

/// <summary>
/// namespace/name and requested floor of the InterfaceBandwidth behind a (bridge, MAC), from manifests
/// (<c>show -f</c>): the kernel knows MACs, not names.
/// </summary>
internal sealed class InterfaceLabels
{
    private readonly Dictionary<(string? Bridge, MacAddress Mac), (string Name, BitRate? Floor)> _byMac = [];

    public static InterfaceLabels None { get; } = new();

    public static InterfaceLabels From(ManifestSet manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var labels = new InterfaceLabels();
        var bridgeOf = manifests.Networks.Where(n => n.Metadata?.Name is not null).ToDictionary(n => n.Metadata!.Name!, n => n.Spec?.Bridge, StringComparer.Ordinal);
        foreach (var i in manifests.Interfaces)
        {
            if (!MacAddress.TryParse(i.Spec?.MacAddress, out var mac, out _))
            {
                continue;
            }

            var bridge = i.Spec?.Network is { } net && bridgeOf.TryGetValue(net, out var b) ? b : null;
            BitRate? floor = BitRate.TryParse(i.Spec?.Inbound?.Floor, out var f, out _) ? f : null;
            labels._byMac.TryAdd((bridge, mac), ($"{i.Metadata?.NamespaceProperty}/{i.Metadata?.Name}", floor));
        }

        return labels;
    }

    public (string Name, BitRate? Floor)? Find(string bridge, MacAddress mac) =>
        _byMac.TryGetValue((bridge, mac), out var exact) ? exact
        : _byMac.TryGetValue((null, mac), out var any) ? any
        : null;
}
