using System.Globalization;
using BandwidthOperator.Api.Manifests;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Demo;

/// <summary>
/// The demo's manifests (config/samples/demo, built into the executable) and the three phases made
/// from them: 1 nothing applied; 2 limits only — each guest capped at an equal share of the network's
/// inbound.average and no floors, as a per-pod bandwidth limit would do; 3 the manifests as written (floors).
/// </summary>
internal sealed class DemoScenario
{
    private DemoScenario(ManifestSet manifests, IReadOnlyList<DemoGuest> guests, IReadOnlyList<DemoPhase> phases, BitRate capacity)
    {
        Manifests = manifests;
        Guests = guests;
        Phases = phases;
        Capacity = capacity;
    }

    public ManifestSet Manifests { get; }

    public IReadOnlyList<DemoGuest> Guests { get; }

    public IReadOnlyList<DemoPhase> Phases { get; }

    /// <summary>The network's inbound.average.</summary>
    public BitRate Capacity { get; }

    public static DemoScenario Load(string? path, string node)
    {
        var manifests = path is null ? ReadBuiltIn() : ManifestReader.ReadPath(path);
        if (manifests.Problems.Count > 0)
        {
            throw new ManifestException(string.Join(Environment.NewLine, manifests.Problems));
        }
        if (manifests.Networks.Count != 1)
        {
            throw new ManifestException($"the demo needs exactly one BridgeNetwork, found {manifests.Networks.Count}");
        }

        var network = manifests.Networks[0];
        var capacity = network.Spec?.Inbound?.Average is { } a ? BitRate.Parse(a) : throw new ManifestException($"BridgeNetwork {network.Metadata?.Name}: the demo needs spec.inbound.average");
        var interfaces = manifests.Interfaces.Where(i => i.Spec?.NodeName == node).ToList();
        if (interfaces.Count == 0)
        {
            throw new ManifestException($"no InterfaceBandwidth has spec.nodeName {node} (use --node)");
        }

        var guests = new List<DemoGuest>();
        foreach (var i in interfaces)
        {
            var mac = MacAddress.Parse(i.Spec!.MacAddress ?? string.Empty);
            var index = (int)(mac.Value & 0xff);
            if (mac.Value >> 8 != 0x5254_0000_00UL || index < 1 || index > interfaces.Count)
            {
                throw new ManifestException($"InterfaceBandwidth {i.Metadata?.Name}: the demo's guests have MACs 52:54:00:00:00:01 … :{interfaces.Count:x2}, not {mac}");
            }

            var floor = i.Spec.Inbound?.Floor is { } f ? BitRate.Parse(f) : (BitRate?)null;

            // The greediest guest is the one without a floor: 2, 4, 8 … streams.
            guests.Add(new DemoGuest(i.Metadata?.Name ?? mac.ToString(), floor, index, Math.Min(2 << guests.Count, 16)));
        }

        var share = BitRate.FromMegabits(Math.Floor(capacity.BitsPerSecond / 1e6 / guests.Count));
        var limited = interfaces.Select(i => WithInbound(i, new InterfaceInbound { Average = share.ToString() })).ToList();
        var phases = new List<DemoPhase>
        {
            new(1, "no shaping", "no class tree: the guests share the path as TCP decides", null),
            new(2, "limits only", string.Create(CultureInfo.InvariantCulture, $"each guest capped at {share} (inbound.average), no floors"), new NodeRequest(node, manifests.Networks, limited)),
            new(3, "floors", "the manifests as written: " + string.Join(", ", guests.Select(g => $"{g.Name} {(g.Floor is { } x ? "floor " + x : "no floor")}")), new NodeRequest(node, manifests.Networks, interfaces)),
        };
        return new DemoScenario(manifests, [.. guests.OrderBy(g => g.Index)], phases, capacity);
    }

    private static ManifestSet ReadBuiltIn()
    {
        var assembly = typeof(DemoScenario).Assembly;
        var text = new System.Text.StringBuilder();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("demo/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            text.Append("---\n").Append(reader.ReadToEnd()).Append('\n');
        }

        return ManifestReader.ReadText(text.ToString(), "config/samples/demo (built in)");
    }

    private static InterfaceBandwidth WithInbound(InterfaceBandwidth i, InterfaceInbound inbound) => new()
    {
        ApiVersion = i.ApiVersion,
        Kind = i.Kind,
        Metadata = i.Metadata,
        Spec = new InterfaceBandwidthSpec
        {
            Network = i.Spec!.Network,
            NodeName = i.Spec.NodeName,
            MacAddress = i.Spec.MacAddress,
            Device = i.Spec.Device,
            Inbound = inbound,
        },
    };
}
