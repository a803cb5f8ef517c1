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
        "unknown-network", "missing-bridge", "duplicate-mac", "foreign-root-qdisc",
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
            "foreign-root-qdisc" => (ForeignRoot(), "ForeignRootQdisc", "bridge br1 on node node-e2e already has a root qdisc tbf"),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }

    private ManifestBuilder ForeignRoot()
    {
        _f.Topology.Host.Tc("qdisc", "add", "dev", "br1", "root", "handle", "9:", "tbf", "rate", "1mbit", "burst", "10k", "latency", "50ms");
        return Good().Network("other-net", "br1", "1G").Interface("vm-x", "other-net", Other, floor: "5M");
    }

    [RootFact]
    public void A_foreign_root_qdisc_is_left_as_it_was()
    {
        _f.Apply(Good()).ExitCode.ShouldBe(0);
        var manifests = ForeignRoot();
        var before = _f.Qdiscs("br1");

        _f.Apply(manifests).ExitCode.ShouldBe(3);

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
