using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Topology;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>
/// Units say what they mean: a binary suffix on a rate is refused with the decimal spelling, a rate of a
/// few bit/s warns, tc's spelling suggests the quantity, and a floor above the network's whole average
/// is refused as such (it can never be admitted).
/// </summary>
[Collection(TrafficCollection.Name)]
public sealed class UnitsTests : IDisposable
{
    private readonly CliFixture _f = new(2, "unit");

    public void Dispose() => _f.Dispose();

    private static ManifestBuilder Net() => new ManifestBuilder().Network("tenant-net", BridgeTopology.BridgeName, "1G");

    private MacAddress B => _f.Topology.Guests[1].Mac;

    [RootFact]
    public void A_binary_suffix_on_a_rate_is_refused_with_the_decimal_spelling()
    {
        _f.Apply(Net()).ExitCode.ShouldBe(0);
        var before = _f.KernelState();

        var run = _f.Apply(Net().Interface("vm-b", "tenant-net", B, floor: "100Mi"));

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stderr.ShouldContain("spec.inbound.floor: '100Mi' has a binary suffix; rates are bits per second with decimal suffixes: write 100M (or 104857600 for exactly 100Mi)");
        run.Stdout.ShouldNotContain("rate 104857600");
        _f.KernelState().ShouldBe(before);
    }

    [RootFact]
    public void A_rate_of_a_few_bits_per_second_warns()
    {
        var run = _f.Apply(Net().Interface("vm-b", "tenant-net", B, floor: "64"));

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stderr.ShouldContain("warning: InterfaceBandwidth e2e/vm-b: spec.inbound.floor: 64 is 64 bit/s — rates are bits per second; did you mean 64M (64 Mbit/s)?");
    }

    [RootFact]
    public void A_rate_the_kernel_cannot_hold_exactly_is_refused_after_the_warning()
    {
        var run = _f.Apply(Net().Interface("vm-b", "tenant-net", B, floor: "60"));

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stderr.ShouldContain("warning: InterfaceBandwidth e2e/vm-b: spec.inbound.floor: 60 is 60 bit/s — rates are bits per second; did you mean 60M (60 Mbit/s)?");
        run.Stderr.ShouldContain("spec.inbound.floor: 60 bit/s is not a whole number of bytes per second, which is what the kernel keeps: write 56 or 64");
        run.Stderr.ShouldNotContain("still differ");
    }

    [RootFact]
    public void A_plausible_rate_does_not_warn() =>
        _f.Apply(Net().Interface("vm-b", "tenant-net", B, floor: "60M")).Stderr.ShouldBeEmpty();

    [RootTheory]
    [InlineData("100mbit", "100M")]
    [InlineData("1gbit", "1G")]
    [InlineData("10Mbps", "80M")]
    public void A_rate_spelled_as_tc_writes_it_suggests_the_quantity(string written, string suggested)
    {
        var run = _f.Apply(Net().Interface("vm-b", "tenant-net", B, floor: written));

        run.ExitCode.ShouldBe(5, run.ToString());
        run.Stderr.ShouldContain($"spec.inbound.floor: Invalid value: \"{written}\": not a quantity; rates are Kubernetes quantities in bits per second: write {suggested}");
        _f.Qdiscs().ShouldNotContain("htb");
    }

    [RootFact]
    public void A_floor_above_the_networks_whole_average_is_refused_as_such()
    {
        var run = _f.Apply(new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-b", "tenant-net", B, floor: "150M"), "-o", "yaml");

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stderr.ShouldContain("FloorAboveNetworkAverage: InterfaceBandwidth e2e/vm-b: spec.inbound.floor: floor 150M is above the whole inbound average 100M of BridgeNetwork tenant-net; it can never be admitted");
        run.Stderr.ShouldNotContain("does not fit");
        run.Stdout.ShouldContain("reason: FloorAboveNetworkAverage");
    }
}
