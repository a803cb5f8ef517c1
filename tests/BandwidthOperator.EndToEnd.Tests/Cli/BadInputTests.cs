using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Topology;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>
/// Each kind of bad input gets a specific message naming the object and the field, the exit code says
/// so, and what was already applied is not disturbed (same classes, counters not reset). Input the CRD
/// schemas refuse (a malformed MAC, a rate spelled as tc writes it) is in <see cref="SafeApplyTests"/>.
/// </summary>
[Collection(TrafficCollection.Name)]
public sealed class BadInputTests : IDisposable
{
    private static readonly MacAddress Other = MacAddress.Parse("52:54:00:aa:bb:cc");
    private readonly CliFixture _f = new(2, "bad");

    public BadInputTests()
    {
        // A second bridge for the cases that need one.
        _f.Topology.Host.Ip("link", "add", "br1", "type", "bridge");
        _f.Topology.Host.Ip("link", "set", "br1", "up");
    }

    public void Dispose() => _f.Dispose();

    private ManifestBuilder Good() =>
        new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-a", "tenant-net", _f.Topology.Guests[0].Mac, floor: "60M");

    public static TheoryData<string> Cases() =>
    [
        "floor-over-average", "floor-over-capacity", "floor-without-network-average",
        "unknown-network", "missing-bridge", "duplicate-mac", "foreign-ingress-on-a-guest-port",
        "outbound-floor-without-network-outbound-average", "outbound-floors-over-capacity", "port-override-not-in-the-bridge",
    ];

    [RootTheory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_reported_specifically_and_disturbs_nothing_applied(string name)
    {
        _f.Apply(Good()).ExitCode.ShouldBe(0);
        var classesBefore = Lines(_f.Classes(), "class htb");
        var filtersBefore = Lines(_f.Filters(), "filter");
        var (manifests, reason, message) = CaseFor(name);

        var run = _f.Apply(manifests, "-o", "yaml");

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stderr.ShouldContain(message, Case.Insensitive, run.ToString());
        if (reason is not null)
        {
            run.Stdout.ShouldContain($"reason: {reason}", Case.Sensitive, run.ToString());
        }

        Lines(_f.Classes(), "class htb").ShouldBe(classesBefore);
        Lines(_f.Filters(), "filter").ShouldBe(filtersBefore);
    }

    private (ManifestBuilder Manifests, string? Reason, string Message) CaseFor(string name)
    {
        var guestB = _f.Topology.Guests[1].Mac;
        return name switch
        {
            "floor-over-average" => (Good().Interface("vm-x", "tenant-net", Other, floor: "20M", inAverage: "10M"), "InvalidSpec", "spec.inbound.floor: floor 20M is above average 10M"),
            "floor-over-capacity" => (Good().Interface("vm-x", "tenant-net", guestB, floor: "50M"), "FloorOvercommitted", "floor 50M does not fit: 40M of tenant-net's 100M inbound average is left on node-e2e"),
            "floor-without-network-average" => (Good().Network("flat-net", "br1", average: null).Interface("vm-x", "flat-net", Other, floor: "5M"), "FloorNeedsNetworkAverage", "BridgeNetwork flat-net has no spec.inbound.average"),
            "unknown-network" => (Good().Interface("vm-x", "no-such-net", Other, floor: "5M"), "UnknownNetwork", "spec.network: BridgeNetwork no-such-net does not exist"),
            "missing-bridge" => (Good().Network("gone-net", "br-gone").Interface("vm-x", "gone-net", Other, floor: "5M"), "BridgeMissing", "bridge br-gone of BridgeNetwork gone-net does not exist on node node-e2e"),
            "duplicate-mac" => (Good().Interface("vm-x", "tenant-net", _f.Topology.Guests[0].Mac, floor: "5M"), "DuplicateMac", $"spec.macAddress {_f.Topology.Guests[0].Mac} is already claimed on bridge br0 on node node-e2e by InterfaceBandwidth e2e/vm-a"),
            "foreign-ingress-on-a-guest-port" => (ForeignIngress(), "ForeignDeviceQdisc", "guest port vg9 of bridge br0 on node node-e2e cannot be hooked: it already has a ingress qdisc with filters BandwidthOperator did not create"),
            "outbound-floor-without-network-outbound-average" => (Good().Raw(OutboundFloor("vm-x", Other, "5M")), "FloorNeedsNetworkAverage", "InterfaceBandwidth e2e/vm-x: spec.outbound.floor: BridgeNetwork tenant-net has no spec.outbound.average to carve floors from"),
            "outbound-floors-over-capacity" => (WithOutbound("50M").Raw(OutboundFloor("vm-b", guestB, "30M")).Raw(OutboundFloor("vm-x", Other, "30M")), "FloorOvercommitted", "floor 30M does not fit: 20M of tenant-net's 50M outbound average is left on node-e2e"),
            "port-override-not-in-the-bridge" => (Good().Raw("apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {name: port-net}\nspec: {bridge: br1, ports: {uplinks: [eth7]}}"), null, "BridgeNetwork port-net: spec.ports.uplinks: eth7 is not a port of bridge br1 on node node-e2e"),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    /// <summary>What the CNI bandwidth plugin leaves on a port: an ingress qdisc with a filter of its own.</summary>
    /// <remarks>The port is a new guest port (a VM that just started), already held when the agent first sees it.</remarks>
    private ManifestBuilder ForeignIngress()
    {
        const string port = "vg9";
        _f.Topology.Host.Ip("link", "add", port, "type", "veth", "peer", "name", "vg9p");
        _f.Topology.Host.Tc("qdisc", "add", "dev", port, "ingress");
        _f.Topology.Host.Tc("filter", "add", "dev", port, "parent", "ffff:", "prio", "5", "protocol", "all", "u32", "match", "u32", "0", "0", "flowid", "ffff:1");
        _f.Topology.Host.Ip("link", "set", port, "master", BridgeTopology.BridgeName, "up");
        return Good().Interface("vm-x", "tenant-net", Other, floor: "5M", device: port);
    }

    private static string OutboundFloor(string name, MacAddress mac, string floor) =>
        "apiVersion: bandwidthoperator.io/v1alpha1\nkind: InterfaceBandwidth\n"
        + $"metadata:\n  name: {name}\n  namespace: e2e\n"
        + $"spec:\n  network: tenant-net\n  nodeName: {ManifestBuilder.Node}\n  macAddress: \"{mac}\"\n  outbound:\n    floor: {floor}\n";

    /// <summary>The good manifests with the network given an outbound capacity.</summary>
    private ManifestBuilder WithOutbound(string average) =>
        new ManifestBuilder()
            .Raw($"apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {{name: tenant-net}}\nspec: {{bridge: {BridgeTopology.BridgeName}, inbound: {{average: 100M}}, outbound: {{average: {average}}}}}")
            .Interface("vm-a", "tenant-net", _f.Topology.Guests[0].Mac, floor: "60M");

    private ManifestBuilder ForeignRoot()
    {
        _f.Topology.Host.Tc("qdisc", "add", "dev", "br1", "root", "handle", "9:", "tbf", "rate", "1mbit", "burst", "10k", "latency", "50ms");
        return Good().Network("other-net", "br1", "1G").Interface("vm-x", "other-net", Other, floor: "5M");
    }

    [RootFact]
    public void A_foreign_root_qdisc_on_a_bridge_is_left_as_it_was_and_does_not_stop_floors()
    {
        _f.Apply(Good()).ExitCode.ShouldBe(0);
        var manifests = ForeignRoot();
        var before = _f.Qdiscs("br1");

        var run = _f.Apply(manifests);
        run.ExitCode.ShouldBe(0, run.ToString());

        _f.Qdiscs("br1").ShouldBe(before);
        _f.Qdiscs("br1").ShouldContain("qdisc tbf 9: root");
    }

    [RootFact]
    public void A_malformed_manifest_names_the_file_and_line_and_changes_nothing()
    {
        _f.Apply(Good()).ExitCode.ShouldBe(0);
        var before = Lines(_f.Classes(), "class htb");
        var path = Path.Combine(Path.GetTempPath(), $"bwo-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "apiVersion: bandwidthoperator.io/v1alpha1\nkind: BridgeNetwork\nmetadata: {name: x\n");
        try
        {
            var run = _f.Run("apply", "-f", path, "--node", ManifestBuilder.Node);

            run.ExitCode.ShouldBe(5);
            run.Stderr.ShouldContain(path);
            run.Stderr.ShouldContain("not valid YAML");
            Lines(_f.Classes(), "class htb").ShouldBe(before);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<string> Lines(string text, string prefix) =>
        [.. text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
