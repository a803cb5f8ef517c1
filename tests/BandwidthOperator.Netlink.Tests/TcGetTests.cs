using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Tests;

/// <summary>Reading single objects back (root): each as a dump would show it, and what the kernel does not hold named as missing.</summary>
public sealed class TcGetTests
{
    [Fact]
    public void Get_returns_each_object_as_the_dump_shows_it()
    {
        using var lab = BridgeLab.Create("get");
        var objects = new List<TcObject>([.. DesignTree.Base(), .. DesignTree.Floor(3, DesignTree.Mac, BitRate.Parse("40M"))]);
        lab.Kernel.Apply(DesignTree.Adds(objects)).ThrowIfFailed();
        var dumped = lab.Kernel.Dump(["br0"]);
        var reads = lab.Kernel.KernelReads;

        var got = lab.Kernel.Get(objects);

        got.ForeignObjects.ShouldBeEmpty();
        got.Objects.ShouldBe(dumped.Objects);
        got.Counters.Keys.ShouldBe(dumped.Counters.Keys, ignoreOrder: true);
        (lab.Kernel.KernelReads - reads).ShouldBe(objects.Count + 1, "one get per object, and one link dump to name the devices");
    }

    [Fact]
    public void Apply_with_echo_returns_each_object_as_the_dump_shows_it_without_a_read()
    {
        using var lab = BridgeLab.Create("echo");
        lab.Kernel.Apply(DesignTree.Adds(DesignTree.Base())).ThrowIfFailed();
        var links = lab.Kernel.ReadLinks();
        var floor = DesignTree.Floor(3, DesignTree.Mac, BitRate.Parse("40M"));
        var reads = lab.Kernel.KernelReads;

        var result = lab.Kernel.Apply(DesignTree.Adds(floor), links, echo: true);

        result.ThrowIfFailed();
        (lab.Kernel.KernelReads - reads).ShouldBe(0, "the devices named from the links given, the objects echoed with their acks");
        var echoed = result.Echoed.ShouldNotBeNull();
        echoed.ForeignObjects.ShouldBeEmpty();
        var dumped = lab.Kernel.Dump(["br0"]);
        echoed.Objects.ShouldBe(dumped.Objects.Where(o => floor.Any(f => f.Key == o.Key)).ToList());
        echoed.Objects.Count.ShouldBe(floor.Count);
        echoed.Counters.Keys.ShouldBe(dumped.Counters.Keys.Where(k => floor.Any(f => f.Key == k)), ignoreOrder: true);
    }

    [Fact]
    public void Apply_with_links_older_than_a_device_dumps_the_links_again()
    {
        using var lab = BridgeLab.Create("echostale");
        var links = lab.Kernel.ReadLinks();
        lab.Kernel.CreateIfb("bwiecho0");
        var root = new Qdisc("bwiecho0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2, 10));

        var result = lab.Kernel.Apply([new TcOperation(TcVerb.Add, root)], links, echo: true);

        result.ThrowIfFailed();
        result.Echoed.ShouldNotBeNull().Objects.ShouldBe([root]);
    }

    [Fact]
    public void An_object_the_kernel_does_not_hold_is_named_as_missing()
    {
        using var lab = BridgeLab.Create("getmiss");
        lab.Kernel.Apply(DesignTree.Adds(DesignTree.Base())).ThrowIfFailed();
        var floor = DesignTree.Floor(7, DesignTree.Mac, BitRate.Parse("40M"));

        var got = lab.Kernel.Get(floor);

        got.Objects.ShouldBeEmpty();
        got.ForeignObjects.Count.ShouldBe(floor.Count);
        got.ForeignObjects.ShouldContain(s => s.Contains("1:7", StringComparison.Ordinal) && s.EndsWith("dev br0", StringComparison.Ordinal));
    }
}
