using BandwidthOperator.Shaping.Allocation;

namespace BandwidthOperator.Shaping.Tests.Allocation;

public class ClassIdAllocatorTests
{
    [Fact]
    public void First_allocation_is_3()
    {
        var a = new ClassIdAllocator();
        a.Allocate().ShouldBe((ushort)3);
        a.Allocate().ShouldBe((ushort)4);
        a.Count.ShouldBe(2);
    }

    [Fact]
    public void Lowest_free_id_is_taken_around_claims()
    {
        var a = new ClassIdAllocator();
        a.TryClaim(3).ShouldBeTrue();
        a.TryClaim(5).ShouldBeTrue();
        a.Allocate().ShouldBe((ushort)4);
        a.Allocate().ShouldBe((ushort)6);
    }

    [Fact]
    public void Claim_after_allocation_does_not_hide_lower_free_ids()
    {
        var a = new ClassIdAllocator();
        a.TryClaim(10).ShouldBeTrue();
        a.Allocate().ShouldBe((ushort)3);
        a.TryClaim(4).ShouldBeTrue();
        a.Allocate().ShouldBe((ushort)5);
    }

    [Fact]
    public void Claiming_a_taken_id_fails()
    {
        var a = new ClassIdAllocator();
        a.TryClaim(7).ShouldBeTrue();
        a.TryClaim(7).ShouldBeFalse();
        a.IsTaken(7).ShouldBeTrue();
        a.IsTaken(8).ShouldBeFalse();
        a.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Root_and_default_class_ids_cannot_be_claimed(ushort id)
    {
        var a = new ClassIdAllocator();
        a.TryClaim(id).ShouldBeFalse();
        a.Count.ShouldBe(0);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(0xFFFE, true)]
    [InlineData(0xFFFF, false)]
    [InlineData(0x10000, false)]
    [InlineData(-1, false)]
    public void Valid_ids_are_3_to_fffe_because_ffff_is_the_small_packet_class(int id, bool valid) => ClassIdAllocator.IsValid(id).ShouldBe(valid);

    [Fact]
    public void Highest_id_can_be_claimed() => new ClassIdAllocator().TryClaim(0xFFFE).ShouldBeTrue();

    [Fact]
    public void Space_is_exhausted_after_65532_ids()
    {
        var a = new ClassIdAllocator();
        ushort? last = null;
        for (var i = 0; i < 65_532; i++)
        {
            last = a.Allocate();
            last.ShouldNotBeNull();
        }

        last.ShouldBe((ushort)0xFFFE);
        a.Count.ShouldBe(65_532);
        a.Allocate().ShouldBeNull();
        a.Allocate().ShouldBeNull();
    }

    [Fact]
    public void Last_free_id_is_found_when_everything_else_is_claimed()
    {
        var a = new ClassIdAllocator();
        for (var id = 3; id <= 0xFFFE; id++)
        {
            if (id != 40_000)
            {
                a.TryClaim((ushort)id).ShouldBeTrue();
            }
        }

        a.Allocate().ShouldBe((ushort)40_000);
        a.Allocate().ShouldBeNull();
    }
}
