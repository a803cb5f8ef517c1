using k8s;
using System.Text.Json.Nodes;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;
using static BandwidthOperator.Agent.Tests.EndToEnd.StatusOf;

namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>
/// InterfaceBandwidths that name their workload (spec.target), end to end: the agent finds the VMI or
/// pod through its node-scoped watches, shapes exactly the workload's MAC, writes what it resolved, lets
/// go when the workload leaves; raw MAC claims across tenants are refused. The VMI objects are shaped as
/// recorded exchanges 93–95 return them (labels kubevirt.io/nodeName, status.nodeName,
/// status.interfaces[].name/mac); the pods carry the Multus annotation of 88.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class WorkloadEndToEndTests
{
    private static ResourceType Ibw => ResourceType.InterfaceBandwidths;

    private static ResourceType Vmi => ResourceType.VirtualMachineInstances;

    internal static JsonObject VmiObject(string ns, string name, string node, BridgeGuest guest, JsonObject? migrationState = null, string? targetNode = null)
    {
        var labels = new JsonObject { ["kubevirt.io/nodeName"] = node };
        if (targetNode is not null)
        {
            labels["kubevirt.io/migrationTargetNodeName"] = targetNode;
        }

        var status = new JsonObject
        {
            ["nodeName"] = node,
            ["phase"] = "Running",
            ["interfaces"] = new JsonArray(new JsonObject { ["name"] = "net1", ["mac"] = guest.Mac.ToString(), ["interfaceName"] = "eth1", ["infoSource"] = "domain, multus-status" }),
        };
        if (migrationState is not null)
        {
            status["migrationState"] = migrationState;
        }

        return new JsonObject
        {
            ["apiVersion"] = "kubevirt.io/v1",
            ["kind"] = "VirtualMachineInstance",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels },
            ["spec"] = new JsonObject
            {
                ["domain"] = new JsonObject { ["devices"] = new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = "net1", ["bridge"] = new JsonObject(), ["macAddress"] = guest.Mac.ToString() }) } },
                ["networks"] = new JsonArray(new JsonObject { ["name"] = "net1", ["multus"] = new JsonObject { ["networkName"] = "br-net" } }),
            },
            ["status"] = status,
        };
    }

    internal static JsonObject TargetIbw(string ns, string name, string kind, string workload, string iface, string floor, string? outAverage = null)
    {
        var spec = new JsonObject
        {
            ["network"] = AgentFixture.Network,
            ["target"] = new JsonObject { ["kind"] = kind, ["name"] = workload, ["interface"] = iface },
            ["inbound"] = new JsonObject { ["floor"] = floor },
        };
        if (outAverage is not null)
        {
            spec["outbound"] = new JsonObject { ["average"] = outAverage };
        }

        return new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "InterfaceBandwidth",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    private static JsonObject PodObject(string ns, string name, string node, BridgeGuest guest) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["annotations"] = new JsonObject
            {
                ["k8s.v1.cni.cncf.io/network-status"] = $$$"""[{"name":"{{{ns}}}/br-net","interface":"net1","mac":"{{{guest.Mac}}}","ips":["10.88.0.11"],"dns":{}}]""",
            },
        },
        ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "x" }) },
    };

    private static string? Entry(JsonObject? o, string node, string field) =>
        (o?["status"]?["nodes"] as JsonArray)?.FirstOrDefault(e => (string?)e?["nodeName"] == node)?[field]?.ToString();

    [RootFact]
    public async Task A_vmi_bound_floor_is_shaped_on_the_vmis_node_for_its_mac_released_when_it_goes_and_admitted_again_when_it_returns()
    {
        await using var f = await AgentFixture.StartAsync(2, "wl1");
        var guest = f.Topology.Guests[0];
        f.SeedNetwork("100M", allowRawMacs: false);
        f.Api.Seed(VmiObject("t1", "vm-a", AgentFixture.Node, guest));
        f.Api.Seed(TargetIbw("t1", "vm-a-net1", "VirtualMachineInstance", "vm-a", "net1", "40M"));

        var placed = await f.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        ((string?)placed!["status"]!["nodeName"]).ShouldBe(AgentFixture.Node);
        ((string?)placed["status"]!["macAddress"]).ShouldBe(guest.Mac.ToString());
        Entry(placed, AgentFixture.Node, "role").ShouldBe("Running");
        Entry(placed, AgentFixture.Node, "classId").ShouldBe("3");
        f.Classes().ShouldContain("class htb 1:3 parent 1:1 leaf 3: prio 1 rate 40Mbit");
        var filters = f.Topology.Host.Tc("filter", "show", "dev", f.Tree);
        filters.ShouldContain("flowid 1:3");
        filters.ShouldContain(MacMatch(guest), Case.Insensitive, "the class is fed by the VMI's own MAC");

        // Traffic toward the VM goes through its floor's class.
        await TrafficRun.RunAsync(f.Topology.External, [FlowGroup.IPv4(guest, 1)], TimeSpan.Zero, TimeSpan.FromSeconds(1));
        f.ClassBytes("1:3").ShouldBeGreaterThan(1_000_000, "class 1:3 counted the VM's traffic");

        // The VMI is deleted (the VM stopped): the floor is released, the status says why.
        f.Api.Delete(Vmi, "t1", "vm-a");
        var gone = await f.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => Condition(o, "Admitted", "reason") == "WorkloadNotFound", TimeSpan.FromSeconds(30));
        ClassId(gone).ShouldBeNull();
        ((string?)gone!["status"]!["nodeName"]).ShouldBeNull();
        Entry(gone, AgentFixture.Node, "role").ShouldBeNull();
        await AgentFixture.UntilAsync(() => !f.Classes().Contains("class htb 1:3 ", StringComparison.Ordinal), "class 1:3 to be removed");

        // The same VM starts again: admitted again.
        f.Api.Seed(VmiObject("t1", "vm-a", AgentFixture.Node, guest));
        await f.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => Admitted(o) && ClassId(o) is not null, TimeSpan.FromSeconds(30));
        await AgentFixture.UntilAsync(() => f.Classes().Contains("rate 40Mbit", StringComparison.Ordinal), "the floor's class back");
    }

    [RootFact]
    public async Task A_pod_bound_floor_takes_node_and_mac_from_the_pod_and_its_network_status_annotation()
    {
        await using var f = await AgentFixture.StartAsync(2, "wl2");
        var guest = f.Topology.Guests[1];
        f.Topology.Host.Exec("bridge", "fdb", "replace", guest.Mac.ToString(), "dev", guest.HostPort, "master", "static");
        f.SeedNetwork("100M", allowRawMacs: false);
        f.Api.Seed(PodObject("t1", "pod-b", AgentFixture.Node, guest));
        f.Api.Seed(TargetIbw("t1", "pod-b-net1", "Pod", "pod-b", "br-net", "25M", outAverage: "50M"));

        var placed = await f.Api.WaitForAsync(Ibw, "t1", "pod-b-net1", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));

        ((string?)placed!["status"]!["nodeName"]).ShouldBe(AgentFixture.Node);
        ((string?)placed["status"]!["macAddress"]).ShouldBe(guest.Mac.ToString());
        ((string?)placed["status"]!["device"]).ShouldBe(guest.HostPort, "the host port, from the bridge's forwarding database");
        f.Classes().ShouldContain("rate 25Mbit");
    }

    [RootFact]
    public async Task A_pod_whose_attachment_is_not_reported_is_not_shaped_on_a_guess()
    {
        await using var f = await AgentFixture.StartAsync(1, "wl3");
        f.SeedNetwork("100M", allowRawMacs: false);
        f.Api.Seed(PodObject("t1", "pod-a", AgentFixture.Node, f.Topology.Guests[0]));
        f.Api.Seed(TargetIbw("t1", "pod-a-net2", "Pod", "pod-a", "net2", "25M"));

        var refused = await f.Api.WaitForAsync(Ibw, "t1", "pod-a-net2", o => Condition(o, "Admitted", "reason") == "InterfaceNotFound", TimeSpan.FromSeconds(30));

        Condition(refused, "Admitted", "message")!.ShouldContain("has no attachment named net2");
        ClassId(refused).ShouldBeNull();
        f.Classes().ShouldNotContain("rate 25Mbit");
    }

    [RootFact]
    public async Task A_raw_claim_from_another_tenant_on_a_guests_mac_is_refused_and_the_guest_is_not_capped()
    {
        // The attack: t2 names the MAC of t1's guest (which has no InterfaceBandwidth) with inbound.average 1M.
        await using var f = await AgentFixture.StartAsync(2, "wl4");
        var victim = f.Topology.Guests[0];
        f.SeedNetwork("100M", allowRawMacs: false);
        f.Api.Seed(VmiObject("t1", "vm-victim", AgentFixture.Node, victim));
        f.Api.Seed(new JsonObject
        {
            ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
            ["kind"] = "InterfaceBandwidth",
            ["metadata"] = new JsonObject { ["name"] = "cap-t1", ["namespace"] = "t2" },
            ["spec"] = new JsonObject
            {
                ["network"] = AgentFixture.Network,
                ["nodeName"] = AgentFixture.Node,
                ["macAddress"] = victim.Mac.ToString(),
                ["device"] = victim.HostPort,
                ["inbound"] = new JsonObject { ["average"] = "1M" },
            },
        });

        // Default: no namespace may name MACs by hand.
        var refused = await f.Api.WaitForAsync(Ibw, "t2", "cap-t1", o => Condition(o, "Admitted", "reason") == "RawMacNotAllowed", TimeSpan.FromSeconds(30));
        Condition(refused, "Admitted", "message")!.ShouldContain("not allowed from namespace t2 on BridgeNetwork tenant-net");
        Condition(refused, "Ready", "status").ShouldBe("False");

        // Even where raw claims are allowed, a MAC another namespace's workload carries is not for t2 to shape.
        f.Api.Modify(ResourceType.BridgeNetworks, null, AgentFixture.Network, o => o["spec"]!["rawMacNamespaceSelector"] = new JsonObject());
        var conflict = await f.Api.WaitForAsync(Ibw, "t2", "cap-t1", o => Condition(o, "Admitted", "reason") == "MacOwnedByOtherNamespace", TimeSpan.FromSeconds(30));
        Condition(conflict, "Admitted", "message").ShouldBe(
            $"InterfaceBandwidth t2/cap-t1: spec.macAddress {victim.Mac} is carried by VirtualMachineInstance t1/vm-victim of namespace t1; a claim from namespace t2 may not shape it");

        // Nothing of the claim is in the kernel: no filter for the victim's MAC in br0's inbound tree, no class capped at 1M, no limit on its port.
        var filters = f.Topology.Host.Tc("filter", "show", "dev", f.Tree);
        filters.ShouldNotContain(MacMatch(victim), Case.Insensitive);
        f.Topology.Host.Tc("qdisc", "show", "dev", victim.HostPort).ShouldNotContain("tbf");
        f.Classes().ShouldNotContain("ceil 1Mbit", customMessage: "no 1M cap in br0's inbound tree");

        // And the victim's traffic is not capped at the 1M t2 asked for (judged with a wide margin: 8x).
        var run = await TrafficRun.RunAsync(f.Topology.External, [FlowGroup.IPv4(victim, 1)], TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));
        run[0].MedianGoodput.BitsPerSecond.ShouldBeGreaterThan(8_000_000UL, run.ToString());
    }

    [RootFact]
    public async Task Without_KubeVirt_a_vmi_bound_resource_says_so_and_the_agent_notices_when_the_crd_appears()
    {
        // Under the node-scoped policy (as in production): the condition is written while no node holds the resource.
        await using var f = await AgentFixture.StartAsync(1, "wl5", kubeVirt: false, clientFor: PolicyClient);
        var guest = f.Topology.Guests[0];
        f.SeedNetwork("100M", allowRawMacs: false);
        f.Api.Seed(TargetIbw("t1", "vm-a-net1", "VirtualMachineInstance", "vm-a", "net1", "30M"));

        var waiting = await f.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => Condition(o, "Admitted", "reason") == "KubeVirtNotInstalled", TimeSpan.FromSeconds(30));
        Condition(waiting, "Admitted", "message")!.ShouldContain("does not serve kubevirt.io/v1 virtualmachineinstances");

        // Recorded exchanges 91/92: the CRD appears; the agent lists again (backoff, at most Agent:KubeVirtRetryMaxDelay) and places the VMI.
        f.Api.InstallKubeVirt();
        f.Api.Seed(VmiObject("t1", "vm-a", AgentFixture.Node, guest));
        await f.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => ReadyWithClass(o, 3), TimeSpan.FromSeconds(30));
        f.Classes().ShouldContain("rate 30Mbit");
    }

    [RootFact]
    public async Task Under_the_node_scoped_policy_the_agent_writes_its_targets_and_is_refused_another_nodes_entry()
    {
        // The policy of config/policy (as AgentAdmissionPolicyTests installs it; transcripts 111-116), agent token bound to node-a.
        await using var f = await AgentFixture.StartAsync(1, "wl6", clientFor: PolicyClient);
        f.SeedNetwork("100M", allowRawMacs: false);
        f.Api.Seed(VmiObject("t1", "vm-a", AgentFixture.Node, f.Topology.Guests[0]));
        f.Api.Seed(TargetIbw("t1", "vm-a-net1", "VirtualMachineInstance", "vm-a", "net1", "20M"));
        await f.Api.WaitForAsync(Ibw, "t1", "vm-a-net1", o => ReadyWithClass(o, 3) && Entry(o, AgentFixture.Node, "classId") == "3", TimeSpan.FromSeconds(30));
        var writes = f.Api.Requests.Snapshot().Where(r => r.Resource == "interfacebandwidths" && r.Subresource == "status" && r.Method == "PATCH").ToList();
        writes.ShouldNotBeEmpty();
        writes.ShouldAllBe(r => r.StatusCode == 200, string.Join(", ", writes));

        const string foreign = """{"apiVersion":"bandwidthoperator.io/v1alpha1","kind":"InterfaceBandwidth","metadata":{"name":"vm-a-net1","namespace":"t1"},"status":{"nodes":[{"nodeName":"node-b","role":"MigrationTarget","classId":9}]}}""";
        var denied = await Should.ThrowAsync<k8s.Autorest.HttpOperationException>(() => f.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new k8s.Models.V1Patch(foreign, k8s.Models.V1Patch.PatchType.ApplyPatch), "bandwidthoperator.io", "v1alpha1", "t1", "interfacebandwidths", "vm-a-net1",
            fieldManager: "bandwidth-operator-node-a", force: true));
        denied.Response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        denied.Response.Content.ShouldContain("the agent on node node-a may change only its own entry of status.nodes");
    }

    /// <summary>The agent's client under the node-scoped policy of config/policy, with a pod-bound token of node-a (transcripts 102, 111-116).</summary>
    private static KubernetesClientConfiguration PolicyClient(KubeApiServerDouble api)
    {
        api.AddValidatingAdmissionPolicy(AgentAdmissionPolicyTests.Policy());
        api.AddToken("agent-a", ApiServerDouble.Admission.AdmissionUser.PodServiceAccount("system", "bandwidth-operator-agent", AgentFixture.Node, "agent-a-pod"));
        return new KubernetesClientConfiguration { Host = api.Url, AccessToken = "agent-a" };
    }

    /// <summary>How tc prints a u32 match of the last four bytes of a destination MAC (the first two are matched separately).</summary>
    private static string MacMatch(BridgeGuest guest)
    {
        var b = guest.Mac;
        return $"match {b[2]:x2}{b[3]:x2}{b[4]:x2}{b[5]:x2}/ffffffff at -12";
    }
}
