using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.ApiServerDouble;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>
/// config/samples/scheduling (the README's "Scheduling on floors"): it renders with kubectl, every object is
/// accepted by the API-server double (CRD schema, pod extended-resource rules of transcripts 78–79, a
/// ResourceQuota as in 80), and the quota and the pod name the very resource the network advertises.
/// </summary>
public sealed class SchedulingSampleTests
{
    private static IReadOnlyList<JsonObject> Rendered()
    {
        var result = Kubectl.Kustomize(Path.Combine(RepositoryPaths.Samples, "scheduling"));
        result.ExitCode.ShouldBe(0, result.StandardError);
        return YamlDocuments.Parse(result.StandardOutput, "config/samples/scheduling");
    }

    [Fact]
    public void The_quota_and_the_pod_name_the_resource_the_network_advertises()
    {
        var objects = Rendered();
        var network = objects.Single(o => (string?)o["kind"] == "BridgeNetwork");
        var resource = FloorResourceName.For((string)network["metadata"]!["name"]!, FloorDirection.Inbound);
        ((bool?)network["spec"]!["inbound"]!["schedulable"]).ShouldBe(true);
        FloorResourceName.Problem((string)network["metadata"]!["name"]!).ShouldBeNull();

        var quota = objects.Single(o => (string?)o["kind"] == "ResourceQuota");
        quota["spec"]!["hard"]!.AsObject().Select(kv => kv.Key).ShouldBe(["requests." + resource]);
        var pod = objects.Single(o => (string?)o["kind"] == "Pod");
        pod["spec"]!["containers"]![0]!["resources"]!["limits"]!.AsObject().Select(kv => kv.Key).ShouldBe([resource]);
        ((string?)pod["metadata"]!["namespace"]).ShouldBe((string?)quota["metadata"]!["namespace"]);
    }

    [Fact]
    public async Task Every_object_is_accepted_by_the_api_server_in_order()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        foreach (var obj in Rendered())
        {
            var kind = (string)obj["kind"]!;
            var ns = (string?)obj["metadata"]!["namespace"];
            var path = kind switch
            {
                "Namespace" => "/api/v1/namespaces",
                "BridgeNetwork" => "/apis/bandwidthoperator.io/v1alpha1/bridgenetworks",
                "ResourceQuota" => $"/api/v1/namespaces/{ns}/resourcequotas",
                "Pod" => $"/api/v1/namespaces/{ns}/pods",
                _ => throw new InvalidOperationException($"unexpected kind {kind} in the scheduling samples"),
            };
            using var content = new StringContent(obj.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, $"{kind}: {await response.Content.ReadAsStringAsync()}");
        }

        var pod = api.List(ResourceType.Pods, "tenant-blue").Single();
        ((string?)pod["spec"]!["containers"]![0]!["resources"]!["requests"]!["floor.bandwidthoperator.io/tenant-blue"]).ShouldBe("1G", "the request defaults to the limit");
    }
}
