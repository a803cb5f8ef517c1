using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.Watching;

public sealed class ResourceStoreTests
{
    private static InterfaceBandwidth Ibw(string ns, string name, string rv) =>
        new() { Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, ResourceVersion = rv } };

    [Fact]
    public void Objects_are_keyed_by_namespace_and_name_and_listed_in_key_order()
    {
        var store = new ResourceStore<InterfaceBandwidth>();
        store.Upsert(Ibw("b", "x", "1"));
        store.Upsert(Ibw("a", "y", "2"));

        store.List().Select(ObjectKey.Of).ShouldBe(["a/y", "b/x"]);
        store.Get("b/x").ShouldNotBeNull();
        ObjectKey.Of(new BridgeNetwork { Metadata = new V1ObjectMeta { Name = "net" } }).ShouldBe("net");
    }

    [Fact]
    public void Replace_reports_additions_changes_and_removals_only()
    {
        var store = new ResourceStore<InterfaceBandwidth>();
        store.Replace([Ibw("a", "same", "1"), Ibw("a", "changed", "2"), Ibw("a", "gone", "3")]);

        var changes = store.Replace([Ibw("a", "same", "1"), Ibw("a", "changed", "9"), Ibw("a", "new", "10")]);

        changes.Select(c => (c.Old?.Metadata.Name, c.New?.Metadata.Name)).ShouldBe(
            [("gone", null), ("changed", "changed"), (null, "new")], ignoreOrder: true);
        store.Count.ShouldBe(3);
    }

    [Fact]
    public void An_older_copy_does_not_replace_a_newer_one()
    {
        var store = new ResourceStore<InterfaceBandwidth>();
        store.Upsert(Ibw("a", "x", "20"));

        store.UpsertIfNewer(Ibw("a", "x", "15"));
        store.Get("a/x")!.Metadata.ResourceVersion.ShouldBe("20");
        store.UpsertIfNewer(Ibw("a", "x", "21"));
        store.Get("a/x")!.Metadata.ResourceVersion.ShouldBe("21");
    }
}
