using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using k8s.Models;

namespace BandwidthOperator.Api.Tests.Validation;

public class ResourceValidatorTests
{
    private static BridgeNetwork Network(string bridge = "br-tenant", string? average = "10G", string? burst = null, string? name = "tenant-net") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Generation = 3 },
        Spec = new BridgeNetworkSpec { Bridge = bridge, Inbound = average is null && burst is null ? null : new NetworkBandwidth { Average = average, Burst = burst } },
    };

    private static InterfaceBandwidth Interface(
        string mac = "52:54:00:6b:3c:01",
        InterfaceInbound? inbound = null,
        InterfaceOutbound? outbound = null,
        string network = "tenant-net",
        string nodeName = "node-a",
        string? device = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = "vm-a-net1", NamespaceProperty = "tenant-a", Generation = 2 },
            Spec = new InterfaceBandwidthSpec { Network = network, NodeName = nodeName, MacAddress = mac, Device = device, Inbound = inbound, Outbound = outbound },
        };

    private static ValidationIssue SingleIssue(IReadOnlyList<ValidationIssue> issues)
    {
        issues.Count.ShouldBe(1, string.Join("; ", issues));
        return issues[0];
    }

    [Fact]
    public void Valid_network_becomes_settings()
    {
        var (settings, issues) = ResourceValidator.Validate(Network(burst: "1Mi"));
        issues.ShouldBeEmpty();
        settings.ShouldNotBeNull();
        settings.Name.ShouldBe("tenant-net");
        settings.Bridge.ShouldBe("br-tenant");
        settings.Average.ShouldBe(BitRate.Parse("10G"));
        settings.Burst.ShouldBe(new ByteSize(1_048_576));
        settings.Generation.ShouldBe(3);
    }

    [Fact]
    public void Network_without_inbound_is_valid_with_no_average()
    {
        var (settings, issues) = ResourceValidator.Validate(Network(average: null));
        issues.ShouldBeEmpty();
        settings!.Average.ShouldBeNull();
    }

    [Fact]
    public void Network_without_a_name_is_refused()
    {
        var issue = SingleIssue(ResourceValidator.Validate(Network(name: null)).Issues);
        issue.Field.ShouldBe("metadata.name");
    }

    [Theory]
    [InlineData("")]
    [InlineData("br-tenant-012345")]
    [InlineData("br/tenant")]
    [InlineData("br:tenant")]
    [InlineData("br tenant")]
    [InlineData("br\ttenant")]
    [InlineData(".")]
    [InlineData("..")]
    public void Bad_bridge_name_is_refused_on_spec_bridge(string bridge)
    {
        var (settings, issues) = ResourceValidator.Validate(Network(bridge: bridge));
        settings.ShouldBeNull();
        SingleIssue(issues).Field.ShouldBe("spec.bridge");
    }

    [Fact]
    public void Bridge_name_of_fifteen_characters_is_accepted() =>
        ResourceValidator.Validate(Network(bridge: "br-tenant-01234")).Issues.ShouldBeEmpty();

    [Fact]
    public void Too_long_bridge_name_message_gives_the_length()
    {
        var issue = SingleIssue(ResourceValidator.Validate(Network(bridge: "br-tenant-012345")).Issues);
        issue.Message.ShouldBe("'br-tenant-012345' is 16 characters; Linux device names have at most 15");
        issue.ToString().ShouldStartWith("spec.bridge: ");
    }

    [Fact]
    public void Slash_in_bridge_name_message_names_the_character() =>
        SingleIssue(ResourceValidator.Validate(Network(bridge: "br/x")).Issues).Message.ShouldBe("'br/x' contains '/', which Linux device names cannot");

    [Fact]
    public void Bad_network_average_is_refused_on_its_field()
    {
        var issue = SingleIssue(ResourceValidator.Validate(Network(average: "10g")).Issues);
        issue.Field.ShouldBe("spec.inbound.average");
        issue.Message.ShouldContain("'10g'");
        issue.Message.ShouldContain("bits per second");
    }

    [Fact]
    public void Zero_network_average_is_refused() =>
        SingleIssue(ResourceValidator.Validate(Network(average: "0")).Issues).ShouldBe(new ValidationIssue("spec.inbound.average", "must be greater than 0"));

    [Fact]
    public void Network_burst_without_average_is_refused() =>
        SingleIssue(ResourceValidator.Validate(Network(average: null, burst: "1Mi")).Issues).ShouldBe(new ValidationIssue("spec.inbound.burst", "needs spec.inbound.average"));

    [Fact]
    public void Network_outbound_capacity_and_port_roles_become_settings()
    {
        var network = Network();
        network.Spec.Outbound = new NetworkBandwidth { Average = "5G", Burst = "1Mi" };
        network.Spec.Ports = new BridgePorts { Uplinks = ["bond0.100"], Guests = ["eth3"] };
        var (settings, issues) = ResourceValidator.Validate(network);
        issues.ShouldBeEmpty();
        settings!.OutboundAverage.ShouldBe(BitRate.Parse("5G"));
        settings.OutboundBurst.ShouldBe(ByteSize.Parse("1Mi"));
        settings.Uplinks.ShouldBe(["bond0.100"]);
        settings.Guests.ShouldBe(["eth3"]);
    }

    [Fact]
    public void Network_outbound_burst_without_average_is_refused()
    {
        var network = Network();
        network.Spec.Outbound = new NetworkBandwidth { Burst = "1Mi" };
        SingleIssue(ResourceValidator.Validate(network).Issues).ShouldBe(new ValidationIssue("spec.outbound.burst", "needs spec.outbound.average"));
    }

    [Fact]
    public void A_port_listed_as_uplink_and_guest_is_refused()
    {
        var network = Network();
        network.Spec.Ports = new BridgePorts { Uplinks = ["eth0"], Guests = ["eth0"] };
        SingleIssue(ResourceValidator.Validate(network).Issues).ShouldBe(new ValidationIssue("spec.ports.guests", "'eth0' is listed as an uplink and as a guest"));
    }

    [Fact]
    public void A_bad_port_name_is_refused_naming_its_index()
    {
        var network = Network();
        network.Spec.Ports = new BridgePorts { Uplinks = ["eth0", "eth/1"] };
        SingleIssue(ResourceValidator.Validate(network).Issues).Field.ShouldBe("spec.ports.uplinks[1]");
    }

    [Fact]
    public void Outbound_floor_above_the_outbound_average_is_refused()
    {
        var (settings, issues) = ResourceValidator.Validate(Interface(outbound: new InterfaceOutbound { Floor = "2G", Average = "1G" }));
        settings.ShouldBeNull();
        SingleIssue(issues).ShouldBe(new ValidationIssue("spec.outbound.floor", "floor 2G is above average 1G; floor ≤ average ≤ peak"));
    }

    [Fact]
    public void Outbound_floor_and_status_outbound_class_id_become_settings()
    {
        var ibw = Interface(outbound: new InterfaceOutbound { Floor = "300M" });
        ibw.Status = new InterfaceBandwidthStatus { ClassId = 3, OutboundClassId = 7 };
        var (settings, _) = ResourceValidator.Validate(ibw);
        settings!.OutboundFloor.ShouldBe(BitRate.Parse("300M"));
        settings.StatusOutboundClassId.ShouldBe((ushort)7);
    }

    [Fact]
    public void Bad_network_burst_is_refused_in_bytes()
    {
        var issue = SingleIssue(ResourceValidator.Validate(Network(burst: "1.5")).Issues);
        issue.Field.ShouldBe("spec.inbound.burst");
        issue.Message.ShouldContain("bytes");
    }

    [Fact]
    public void Valid_interface_becomes_settings()
    {
        var ibw = Interface(inbound: new() { Floor = "1G", Average = "2G", Peak = "4G", Burst = "256Ki" }, outbound: new() { Average = "1G", Peak = "2G", Burst = "256Ki" }, device: "vnet3");
        ibw.Metadata.CreationTimestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        ibw.Status = new InterfaceBandwidthStatus { ClassId = 7 };

        var (s, issues) = ResourceValidator.Validate(ibw, order: 4);

        issues.ShouldBeEmpty();
        s.ShouldNotBeNull();
        s.Ref.ShouldBe(new ObjectRef("InterfaceBandwidth", "tenant-a", "vm-a-net1"));
        s.Ref.ToString().ShouldBe("InterfaceBandwidth tenant-a/vm-a-net1");
        s.Mac.ShouldBe(MacAddress.Parse("52:54:00:6b:3c:01"));
        s.Network.ShouldBe("tenant-net");
        s.NodeName.ShouldBe("node-a");
        s.Device.ShouldBe("vnet3");
        s.Floor.ShouldBe(BitRate.Parse("1G"));
        s.Inbound.ShouldBe(new BandwidthLimits(BitRate.Parse("1G"), BitRate.Parse("2G"), BitRate.Parse("4G"), new ByteSize(262_144)));
        s.Outbound.ShouldBe(new BandwidthLimits(null, BitRate.Parse("1G"), BitRate.Parse("2G"), new ByteSize(262_144)));
        s.Created.ShouldBe(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        s.Order.ShouldBe(4);
        s.StatusClassId.ShouldBe((ushort)7);
        s.Generation.ShouldBe(2);
    }

    [Fact]
    public void Interface_without_limits_has_no_device_limit()
    {
        var (s, _) = ResourceValidator.Validate(Interface());
        s!.Inbound.ShouldBe(BandwidthLimits.None);
        s.Inbound.HasDeviceLimit.ShouldBeFalse();
        s.Floor.ShouldBeNull();
        s.Created.ShouldBeNull();
        s.StatusClassId.ShouldBeNull();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(0x10000)]
    [InlineData(-3)]
    public void Status_class_id_outside_3_to_ffff_is_ignored(int classId)
    {
        var ibw = Interface();
        ibw.Status = new InterfaceBandwidthStatus { ClassId = classId };
        ResourceValidator.Validate(ibw).Settings!.StatusClassId.ShouldBeNull();
    }

    [Theory]
    [InlineData("52:54:00:6b:3c")]
    [InlineData("52:54:00:6b:3c:gg")]
    [InlineData("")]
    public void Malformed_mac_is_refused_on_spec_macAddress(string mac)
    {
        var (s, issues) = ResourceValidator.Validate(Interface(mac: mac));
        s.ShouldBeNull();
        SingleIssue(issues).Field.ShouldBe("spec.macAddress");
    }

    [Fact]
    public void Multicast_mac_is_refused_on_spec_macAddress()
    {
        var issue = SingleIssue(ResourceValidator.Validate(Interface(mac: "01:00:5e:00:00:01")).Issues);
        issue.Field.ShouldBe("spec.macAddress");
        issue.Message.ShouldContain("multicast");
    }

    [Fact]
    public void Zero_mac_is_refused_on_spec_macAddress() =>
        SingleIssue(ResourceValidator.Validate(Interface(mac: "00:00:00:00:00:00")).Issues).Field.ShouldBe("spec.macAddress");

    [Fact]
    public void Missing_network_is_refused_on_spec_network() =>
        SingleIssue(ResourceValidator.Validate(Interface(network: "")).Issues).ShouldBe(new ValidationIssue("spec.network", "is required"));

    [Fact]
    public void Missing_node_name_is_refused_on_spec_nodeName() =>
        SingleIssue(ResourceValidator.Validate(Interface(nodeName: "")).Issues).ShouldBe(new ValidationIssue("spec.nodeName", "is required (or spec.target, to follow a VirtualMachineInstance or Pod)"));

    [Fact]
    public void Missing_interface_name_is_refused_on_metadata_name()
    {
        var ibw = Interface();
        ibw.Metadata.Name = null;
        SingleIssue(ResourceValidator.Validate(ibw).Issues).Field.ShouldBe("metadata.name");
    }

    [Theory]
    [InlineData("vnet/3")]
    [InlineData("vnet:3")]
    [InlineData("a-very-long-device")]
    public void Bad_device_name_is_refused_on_spec_device(string device) =>
        SingleIssue(ResourceValidator.Validate(Interface(device: device)).Issues).Field.ShouldBe("spec.device");

    [Fact]
    public void Bad_inbound_quantity_is_refused_on_its_field()
    {
        var issue = SingleIssue(ResourceValidator.Validate(Interface(inbound: new() { Floor = "lots" })).Issues);
        issue.Field.ShouldBe("spec.inbound.floor");
        issue.Message.ShouldContain("'lots'");
    }

    [Fact]
    public void Bad_outbound_burst_is_refused_on_its_field() =>
        SingleIssue(ResourceValidator.Validate(Interface(outbound: new() { Average = "1G", Burst = "1.1Ki" })).Issues).Field.ShouldBe("spec.outbound.burst");

    [Fact]
    public void Floor_above_average_is_refused()
    {
        var issue = SingleIssue(ResourceValidator.Validate(Interface(inbound: new() { Floor = "2G", Average = "1G" })).Issues);
        issue.Field.ShouldBe("spec.inbound.floor");
        issue.Message.ShouldBe("floor 2G is above average 1G; floor ≤ average ≤ peak");
    }

    [Fact]
    public void Floor_equal_to_average_is_accepted() =>
        ResourceValidator.Validate(Interface(inbound: new() { Floor = "1G", Average = "1000M" })).Issues.ShouldBeEmpty();

    [Fact]
    public void Floor_without_average_is_accepted() =>
        ResourceValidator.Validate(Interface(inbound: new() { Floor = "1G" })).Issues.ShouldBeEmpty();

    [Theory]
    [InlineData("inbound")]
    [InlineData("outbound")]
    public void Peak_below_average_is_refused(string direction)
    {
        var issues = direction == "inbound"
            ? ResourceValidator.Validate(Interface(inbound: new() { Average = "2G", Peak = "1G" })).Issues
            : ResourceValidator.Validate(Interface(outbound: new() { Average = "2G", Peak = "1G" })).Issues;
        var issue = SingleIssue(issues);
        issue.Field.ShouldBe($"spec.{direction}.peak");
        issue.Message.ShouldBe("peak 1G is below average 2G; floor ≤ average ≤ peak");
    }

    [Theory]
    [InlineData("inbound")]
    [InlineData("outbound")]
    public void Peak_without_average_is_refused(string direction)
    {
        var issues = direction == "inbound"
            ? ResourceValidator.Validate(Interface(inbound: new() { Peak = "1G" })).Issues
            : ResourceValidator.Validate(Interface(outbound: new() { Peak = "1G" })).Issues;
        SingleIssue(issues).ShouldBe(new ValidationIssue($"spec.{direction}.peak", $"needs spec.{direction}.average"));
    }

    [Theory]
    [InlineData("inbound")]
    [InlineData("outbound")]
    public void Burst_without_average_is_refused(string direction)
    {
        var issues = direction == "inbound"
            ? ResourceValidator.Validate(Interface(inbound: new() { Burst = "64Ki" })).Issues
            : ResourceValidator.Validate(Interface(outbound: new() { Burst = "64Ki" })).Issues;
        SingleIssue(issues).ShouldBe(new ValidationIssue($"spec.{direction}.burst", $"needs spec.{direction}.average"));
    }

    [Fact]
    public void Zero_floor_is_refused() =>
        SingleIssue(ResourceValidator.Validate(Interface(inbound: new() { Floor = "0" })).Issues).Field.ShouldBe("spec.inbound.floor");

    [Fact]
    public void Zero_average_is_refused() =>
        SingleIssue(ResourceValidator.Validate(Interface(outbound: new() { Average = "0" })).Issues).Field.ShouldBe("spec.outbound.average");

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ibw = Interface(mac: "01:00:5e:00:00:01", network: "", nodeName: "", inbound: new() { Floor = "3G", Average = "2G", Peak = "1G" });
        var (s, issues) = ResourceValidator.Validate(ibw);
        s.ShouldBeNull();
        issues.Select(i => i.Field).ShouldBe(["spec.network", "spec.nodeName", "spec.macAddress", "spec.inbound.floor", "spec.inbound.peak"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("eth0", null)]
    [InlineData("vnet3", null)]
    [InlineData(null, "is required")]
    public void DeviceNameProblem_accepts_ordinary_names(string? name, string? expected) =>
        ResourceValidator.DeviceNameProblem(name).ShouldBe(expected);
    [Fact]
    public void Device_name_over_15_bytes_is_refused() =>
        ResourceValidator.DeviceNameProblem("br-tenant-ü0123").ShouldNotBeNull();

    [Fact]
    public void Unparsable_average_is_the_only_issue_when_peak_is_given()
    {
        var issue = SingleIssue(ResourceValidator.Validate(Interface(inbound: new() { Average = "2g", Peak = "4G" })).Issues);
        issue.Field.ShouldBe("spec.inbound.average");
    }

    [Fact]
    public void A_target_bound_resource_is_not_placed_offline_and_says_the_agent_resolves_it()
    {
        var resource = new InterfaceBandwidth
        {
            Metadata = new V1ObjectMeta { Name = "vm-a-net1", NamespaceProperty = "t1" },
            Spec = new InterfaceBandwidthSpec { Network = "tenant-net", Target = new InterfaceTarget { Kind = "VirtualMachineInstance", Name = "vm-a", Interface = "net1" } },
        };

        var (settings, issues) = ResourceValidator.Validate(resource);

        settings.ShouldBeNull();
        var issue = SingleIssue(issues);
        issue.Field.ShouldBe("spec.target");
        issue.Message.ShouldContain("VirtualMachineInstance t1/vm-a interface net1");
        issue.Message.ShouldContain("only the agent resolves");
        ResourceValidator.ValidateTarget(resource).ShouldBeEmpty();
    }

    [Fact]
    public void A_target_with_a_hand_written_mac_is_refused_naming_both()
    {
        var resource = Interface();
        resource.Spec.NodeName = null;
        resource.Spec.Target = new InterfaceTarget { Kind = "Pod", Name = "p", Interface = "net1" };

        var issue = SingleIssue(ResourceValidator.Validate(resource).Issues);

        issue.Field.ShouldBe("spec.macAddress");
        issue.Message.ShouldContain("cannot be given with spec.target");
    }

    [Fact]
    public void Without_a_target_the_node_is_required_and_the_message_names_the_alternative()
    {
        var resource = Interface();
        resource.Spec.NodeName = null;

        var issue = SingleIssue(ResourceValidator.Validate(resource).Issues);

        issue.Field.ShouldBe("spec.nodeName");
        issue.Message.ShouldContain("spec.target");
    }
}
