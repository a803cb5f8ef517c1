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
        ReconcileKeys.For(new ResourceChange<BridgeNetwork>(Net("n", "br0"), Net("n", "br1"))).ShouldBe(["br0", "br1", "network:n", ReconcileKeys.NodeResources]);
        ReconcileKeys.For(new ResourceChange<BridgeNetwork>(null, Net("n", "br0"))).ShouldBe(["br0", "network:n", ReconcileKeys.NodeResources]);
    }

    [Fact]
    public void A_deleted_network_concerns_its_old_bridge_and_the_interfaces_that_named_it()
    {
        // Its objects leave the old bridge; its interfaces (now of an unknown network) are told so.
        ReconcileKeys.For(new ResourceChange<BridgeNetwork>(Net("n", "br0"), null)).ShouldBe(["br0", "network:n", ReconcileKeys.NodeResources]);
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
    public void A_new_or_changed_interface_spec_concerns_the_node_resources_a_status_write_does_not()
    {
        var networks = new ResourceStore<BridgeNetwork>();
        networks.Upsert(Net("tenant-net", "br0"));
        var before = Ibw("a", "tenant-net");
        before.Metadata.Generation = 1;
        var statusOnly = Ibw("a", "tenant-net");
        statusOnly.Metadata.Generation = 1;
        var specChanged = Ibw("a", "tenant-net");
        specChanged.Metadata.Generation = 2;

        ReconcileKeys.For(new ResourceChange<InterfaceBandwidth>(null, before), networks).ShouldBe(["br0", ReconcileKeys.NodeResources]);
        ReconcileKeys.For(new ResourceChange<InterfaceBandwidth>(before, statusOnly), networks).ShouldBe(["br0"]);
        ReconcileKeys.For(new ResourceChange<InterfaceBandwidth>(before, specChanged), networks).ShouldBe(["br0", ReconcileKeys.NodeResources]);
    }

    [Fact]
    public void Node_labels_concern_every_key_a_heartbeat_none_and_our_floor_resources_only_those()
    {
        static V1Node Node(string zone, string? floor = null, string heartbeat = "1") => new()
        {
            Metadata = new V1ObjectMeta { Name = "node-a", Labels = new Dictionary<string, string> { ["zone"] = zone } },
            Status = new V1NodeStatus
            {
                Capacity = floor is null ? null : new Dictionary<string, ResourceQuantity> { ["floor.bandwidthoperator.io/n"] = new(floor) },
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = heartbeat }],
            },
        };
        IEnumerable<string> All() => ["br0", "br1"];

        ReconcileKeys.For(new ResourceChange<V1Node>(Node("a"), Node("b")), All).ShouldBe(["br0", "br1", ReconcileKeys.NodeResources]);
        ReconcileKeys.For(new ResourceChange<V1Node>(Node("a"), Node("a", heartbeat: "2")), All).ShouldBeEmpty();
        ReconcileKeys.For(new ResourceChange<V1Node>(Node("a", "1G"), Node("a", "2G")), All).ShouldBe([ReconcileKeys.NodeResources]);
    }

    [Fact]
    public void Namespace_labels_concern_the_keys_of_the_interfaces_in_it()
    {
        var networks = new ResourceStore<BridgeNetwork>();
        networks.Upsert(Net("n1", "br0"));
        networks.Upsert(Net("n2", "br1"));
        var raw = new ResourceStore<InterfaceBandwidth>();
        raw.Upsert(Ibw("a", "n1"));
        var other = Ibw("b", "n2");
        other.Metadata.NamespaceProperty = "elsewhere";
        raw.Upsert(other);
        var targeted = new ResourceStore<InterfaceBandwidth>();
        static V1Namespace Ns(string team) => new() { Metadata = new V1ObjectMeta { Name = "t", Labels = new Dictionary<string, string> { ["team"] = team } } };

        ReconcileKeys.For(new ResourceChange<V1Namespace>(Ns("x"), Ns("y")), networks, raw, targeted).ShouldBe(["br0"]);
        ReconcileKeys.For(new ResourceChange<V1Namespace>(Ns("x"), Ns("x")), networks, raw, targeted).ShouldBeEmpty();
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
