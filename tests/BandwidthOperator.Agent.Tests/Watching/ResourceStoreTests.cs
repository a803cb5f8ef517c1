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
    public void Cached_objects_keep_neither_managed_fields_nor_the_last_applied_copy_but_every_other_annotation()
    {
        var store = new ResourceStore<InterfaceBandwidth>();
        InterfaceBandwidth Fat(string name) => new()
        {
            Metadata = new V1ObjectMeta
            {
                NamespaceProperty = "a", Name = name, ResourceVersion = "1",
                ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Apply" }],
                Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = "{}", ["team"] = "x" },
                Labels = new Dictionary<string, string> { ["app"] = "vm" },
            },
        };

        store.Upsert(Fat("u"));
        store.UpsertIfNewer(Fat("n"));
        store.Replace([Fat("r"), Fat("u"), Fat("n")]);

        foreach (var item in store.List())
        {
            item.Metadata.ManagedFields.ShouldBeNull();
            item.Metadata.Annotations.ShouldBe(new Dictionary<string, string> { ["team"] = "x" });
            item.Metadata.Labels["app"].ShouldBe("vm");
        }
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
