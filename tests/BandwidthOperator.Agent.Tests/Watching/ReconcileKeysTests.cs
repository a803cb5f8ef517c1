using BandwidthOperator.Agent.Reconcile;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.Watching;

public sealed class ReconcileKeysTests
{
    private static BridgeNetwork Net(string name, string bridge) =>
        new() { Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1" }, Spec = new BridgeNetworkSpec { Bridge = bridge } };

    private static InterfaceBandwidth Ibw(string name, string network) =>
        new() { Metadata = new V1ObjectMeta { NamespaceProperty = "t", Name = name }, Spec = new InterfaceBandwidthSpec { Network = network } };

    [Fact]
    public void A_network_that_moves_to_another_bridge_concerns_both()
    {
        ReconcileKeys.For(new ResourceChange<BridgeNetwork>(Net("n", "br0"), Net("n", "br1"))).ShouldBe(["br0", "br1"]);
        ReconcileKeys.For(new ResourceChange<BridgeNetwork>(null, Net("n", "br0"))).ShouldBe(["br0"]);
    }

    [Fact]
    public void An_interface_is_keyed_by_its_networks_bridge_or_by_the_unknown_network()
    {
        var networks = new ResourceStore<BridgeNetwork>();
        networks.Upsert(Net("tenant-net", "br0"));

        ReconcileKeys.For(new ResourceChange<InterfaceBandwidth>(Ibw("a", "tenant-net"), Ibw("a", "missing")), networks)
            .ShouldBe(["br0", "network:missing"]);
    }

    [Fact]
    public void All_keys_cover_every_bridge_and_every_interface()
    {
        var networks = new ResourceStore<BridgeNetwork>();
        networks.Upsert(Net("n1", "br0"));
        networks.Upsert(Net("n2", "br1"));
        var interfaces = new ResourceStore<InterfaceBandwidth>();
        interfaces.Upsert(Ibw("a", "n1"));
        interfaces.Upsert(Ibw("b", "nope"));

        ReconcileKeys.All(networks, interfaces).ShouldBe(["br0", "br1", "network:nope"]);
    }
}
