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
