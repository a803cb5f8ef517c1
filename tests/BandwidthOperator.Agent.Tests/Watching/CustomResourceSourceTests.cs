using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.ApiServerDouble;

namespace BandwidthOperator.Agent.Tests.Watching;

/// <summary>
/// The LIST before a watch comes in pages (<c>limit</c>/<c>continue</c>, recorded exchange 10), so a
/// list of thousands is never one JSON document in the agent's memory; the pages make one list.
/// </summary>
public sealed class CustomResourceSourceTests
{
    [Fact]
    public async Task A_list_larger_than_a_page_is_read_page_by_page_and_whole()
    {
        await using var api = await KubeApiServerDouble.StartAsync();
        for (var i = 0; i < 12; i++)
        {
            api.Seed(new JsonObject
            {
                ["apiVersion"] = "bandwidthoperator.io/v1alpha1",
                ["kind"] = "InterfaceBandwidth",
                ["metadata"] = new JsonObject { ["name"] = $"vm-{i:D2}", ["namespace"] = i % 2 == 0 ? "a" : "b" },
                ["spec"] = new JsonObject { ["network"] = "net", ["nodeName"] = i < 10 ? "node-a" : "node-b", ["macAddress"] = $"52:54:00:00:00:{i:x2}" },
            });
        }

        using var client = KubeApi.Create(api.ClientConfiguration());
        var source = new CustomResourceSource<InterfaceBandwidth>(client, ApiGroup.Group, ApiGroup.Version, InterfaceBandwidth.Plural,
            InterfaceBandwidth.KubeKind, "spec.nodeName=node-a") { PageSize = 4 };
        api.Requests.Clear();

        var list = await source.ListAsync(CancellationToken.None);

        list.Items.Select(i => i.Metadata.Name).Order(StringComparer.Ordinal).ShouldBe([.. Enumerable.Range(0, 10).Select(i => $"vm-{i:D2}")]);
        list.ResourceVersion.ShouldBe(api.CurrentResourceVersion);
        var lists = api.Requests.Snapshot().Where(r => r.Verb == "list").ToList();
        lists.Count.ShouldBe(3);
        lists.ShouldAllBe(r => r.Query.Contains("limit=4", StringComparison.Ordinal));
        lists.Skip(1).ShouldAllBe(r => r.Query.Contains("continue=", StringComparison.Ordinal));
    }
}
