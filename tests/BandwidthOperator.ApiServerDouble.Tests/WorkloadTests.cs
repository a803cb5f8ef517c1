using System.Net;
using System.Text.Json.Nodes;

namespace BandwidthOperator.ApiServerDouble.Tests;

/// <summary>
/// The workloads an agent follows: pods by node (recorded exchanges 85–88) and KubeVirt's
/// VirtualMachineInstance through the stand-in CRD (89–98): absent until installed, label-selector
/// lists, and watches in which an object whose labels stop (start) matching arrives as DELETED (ADDED).
/// </summary>
public sealed class WorkloadTests
{
    private const string Vmis = "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances";

    // The body of recorded exchange 93.
    private static JsonObject Vmi(string node = "node-a") => JsonNode.Parse($$$"""
        {"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachineInstance",
         "metadata": {"name": "vm-a", "namespace": "default", "labels": {"kubevirt.io/nodeName": "{{{node}}}"}},
         "spec": {"domain": {"devices": {"interfaces": [{"name": "net1", "bridge": {}, "macAddress": "52:54:00:aa:00:01"}]}},
                  "networks": [{"name": "net1", "multus": {"networkName": "br-net"}}]}}
        """)!.AsObject();

    // The patch of recorded exchange 94.
    private const string StatusPatch = """
        {"status": {"nodeName": "node-a", "interfaces": [{"name": "net1", "mac": "52:54:00:aa:00:01", "interfaceName": "eth1", "infoSource": "domain, multus-status"}]}}
        """;

    [Fact]
    public async Task Without_KubeVirt_vmis_and_their_group_are_a_plain_404()
    {
        // Recorded exchanges 89 and 90.
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);

        var list = await raw.GetAsync(Vmis);
        var discovery = await raw.GetAsync("/apis/kubevirt.io/v1");

        list.Status.ShouldBe(HttpStatusCode.NotFound);
        list.Text.ShouldBe("404 page not found\n");
        list.ContentType.ShouldBe("text/plain; charset=utf-8");
        discovery.Status.ShouldBe(HttpStatusCode.NotFound);
        api.KubeVirtInstalled.ShouldBeFalse();
    }

    [Fact]
    public async Task Once_installed_discovery_lists_vmis_and_their_status()
    {
        // Recorded exchange 92, after the CRD of 91.
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        api.InstallKubeVirt();

        var discovery = await raw.GetAsync("/apis/kubevirt.io/v1");

        discovery.Status.ShouldBe(HttpStatusCode.OK);
        ((string?)discovery.Json["groupVersion"]).ShouldBe("kubevirt.io/v1");
        discovery.Json["resources"]!.AsArray().Select(r => (string?)r!["name"]).ShouldBe(["virtualmachineinstances", "virtualmachineinstances/status"]);
        ((string?)discovery.Json["resources"]![0]!["storageVersionHash"]).ShouldBe("1DClFQM6+os=");
    }

    [Fact]
    public async Task A_vmi_is_created_its_status_patched_and_listed_by_node_label()
    {
        // Recorded exchanges 93 (create), 94 (merge patch of /status), 95 (list by label).
        await using var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { KubeVirtInstalled = true });
        using var raw = new RawHttp(api);

        var created = await raw.PostAsync(Vmis, Vmi());
        var patched = await raw.PatchAsync(Vmis + "/vm-a/status", StatusPatch, "application/merge-patch+json");
        var onA = await raw.GetAsync(Vmis + "?labelSelector=kubevirt.io%2FnodeName%3Dnode-a");
        var onB = await raw.GetAsync(Vmis + "?labelSelector=kubevirt.io%2FnodeName%3Dnode-b");

        created.Status.ShouldBe(HttpStatusCode.Created);
        created.Json.Select(p => p.Key).ShouldBe(["apiVersion", "kind", "metadata", "spec"], "custom resources come back with sorted keys");
        patched.Status.ShouldBe(HttpStatusCode.OK);
        ((string?)patched.Json["status"]!["interfaces"]![0]!["mac"]).ShouldBe("52:54:00:aa:00:01");
        ((string?)patched.Json["status"]!["interfaces"]![0]!["infoSource"]).ShouldBe("domain, multus-status", "no schema: unknown fields are kept (91)");
        ((string?)onA.Json["kind"]).ShouldBe("VirtualMachineInstanceList");
        onA.Json["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ShouldBe(["vm-a"]);
        onB.Json["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_vmi_whose_node_label_moves_leaves_one_watch_as_DELETED_and_enters_the_other_as_ADDED()
    {
        // Recorded exchanges 96 and 97, both watching from the RV of 95, around the label patch of 98.
        await using var api = await KubeApiServerDouble.StartAsync(new ApiServerDoubleOptions { KubeVirtInstalled = true });
        using var raw = new RawHttp(api);
        await raw.PostAsync(Vmis, Vmi());
        await raw.PatchAsync(Vmis + "/vm-a/status", StatusPatch, "application/merge-patch+json");
        var rv = (string?)(await raw.GetAsync(Vmis + "?labelSelector=kubevirt.io%2FnodeName%3Dnode-a")).Json["metadata"]!["resourceVersion"];
        var moved = await raw.PatchAsync(Vmis + "/vm-a", """{"metadata":{"labels":{"kubevirt.io/nodeName":"node-b"}}}""", "application/merge-patch+json");

        var leaves = await raw.WatchAsync($"{Vmis}?labelSelector=kubevirt.io%2FnodeName%3Dnode-a&watch=true&resourceVersion={rv}&timeoutSeconds=1",
            until: ev => ev.Any(e => (string?)e["type"] == "DELETED"));
        var enters = await raw.WatchAsync($"{Vmis}?labelSelector=kubevirt.io%2FnodeName%3Dnode-b&watch=true&resourceVersion={rv}&timeoutSeconds=1",
            until: ev => ev.Any(e => (string?)e["type"] == "ADDED"));

        var deleted = leaves.Single(e => (string?)e["type"] == "DELETED");
        ((string?)deleted["object"]!["metadata"]!["name"]).ShouldBe("vm-a");
        var added = enters.Single(e => (string?)e["type"] == "ADDED");
        ((string?)added["object"]!["metadata"]!["labels"]!["kubevirt.io/nodeName"]).ShouldBe("node-b");
        ((string?)added["object"]!["metadata"]!["resourceVersion"]).ShouldBe((string?)moved.Json["metadata"]!["resourceVersion"]);
        ((string?)added["object"]!["status"]!["nodeName"]).ShouldBe("node-a", "98 moves only the label");
    }

    [Fact]
    public async Task Pods_are_listed_and_watched_by_node_and_a_network_status_annotation_is_a_MODIFIED()
    {
        // Recorded exchanges 85 (list by spec.nodeName), 86 (watch from the list's RV), 88 (merge patch of the annotation).
        await using var api = await KubeApiServerDouble.StartAsync();
        using var raw = new RawHttp(api);
        await raw.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("virt-launcher-vm-a", "node-a"));
        await raw.PostAsync("/api/v1/namespaces/default/pods", Objects.Pod("elsewhere", "node-b"));
        var list = await raw.GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a");
        var rv = (string?)list.Json["metadata"]!["resourceVersion"];
        const string annotation = """[{"name":"default/br-net","interface":"net1","mac":"52:54:00:aa:00:01","ips":["10.88.0.11"],"dns":{}}]""";

        var events = await raw.WatchAsync($"/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a&watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=2",
            until: ev => ev.Any(e => (string?)e["type"] == "MODIFIED"),
            whenOpen: () => raw.PatchAsync("/api/v1/namespaces/default/pods/virt-launcher-vm-a",
                new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["k8s.v1.cni.cncf.io/network-status"] = annotation } } }.ToJsonString(),
                "application/merge-patch+json"));

        list.Json["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ShouldBe(["virt-launcher-vm-a"]);
        var modified = events.Single(e => (string?)e["type"] == "MODIFIED");
        ((string?)modified["object"]!["metadata"]!["annotations"]!["k8s.v1.cni.cncf.io/network-status"]).ShouldBe(annotation);
    }
}
