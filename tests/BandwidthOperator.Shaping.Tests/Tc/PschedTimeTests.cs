using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Tests.Tc;

public class PschedTimeTests
{
    [Fact]
    public void Ticks_are_the_time_to_send_the_burst()
    {
        // 1 Mbit/s = 125,000 B/s; 125,000 bytes take one second = 15,625,000 ticks.
        PschedTime.Ticks(BitRate.Parse("1M"), new ByteSize(125_000)).ShouldBe(15_625_000u);
        PschedTime.Ticks(BitRate.Parse("100M"), new ByteSize(1514)).ShouldBe(1892u);
    }

    [Fact]
    public void Ticks_saturate_and_zero_rate_gives_zero()
    {
        PschedTime.Ticks(new BitRate(8), new ByteSize(1UL << 40)).ShouldBe(uint.MaxValue);
        PschedTime.Ticks(BitRate.Zero, new ByteSize(1000)).ShouldBe(0u);
    }

    [Fact]
    public void Size_rounds_up_and_inverts_ticks()
    {
        var rate = BitRate.Parse("100M");
        PschedTime.Size(rate, 1892).Bytes.ShouldBe(1514UL);
        PschedTime.Size(BitRate.Parse("1M"), 1).Bytes.ShouldBe(1UL);
    }

    [Fact]
    public void Bursts_with_the_same_ticks_are_the_same()
    {
        var rate = BitRate.Parse("10G");
        PschedTime.SameBuffer(rate, new ByteSize(1_250_000), new ByteSize(1_250_001)).ShouldBe(PschedTime.Ticks(rate, new ByteSize(1_250_000)) == PschedTime.Ticks(rate, new ByteSize(1_250_001)));
        PschedTime.SameBuffer(BitRate.Parse("1M"), new ByteSize(1000), new ByteSize(2000)).ShouldBeFalse();
        PschedTime.SameBuffer(BitRate.Parse("1M"), new ByteSize(1000), new ByteSize(1000)).ShouldBeTrue();
    }
    [Theory]
    [InlineData(1_000_008UL)]
    [InlineData(8_000UL)]
    [InlineData(100_000_000UL)]
    [InlineData(2_500_000_000UL)]
    [InlineData(10_000_000_000UL)]
    [InlineData(123_456_789UL)]
    public void Size_read_back_from_the_kernel_ticks_is_the_same_buffer(ulong bits)
    {
        var rate = new BitRate(bits);
        foreach (var bytes in new ulong[] { 1514, 6056, 65_536, 250_000, 2_500_000, 12_345 })
        {
            var size = new ByteSize(bytes);
            var readBack = PschedTime.Size(rate, PschedTime.Ticks(rate, size));
            PschedTime.SameBuffer(rate, size, readBack).ShouldBeTrue($"{bytes} bytes at {rate} read back as {readBack.Bytes}");
        }
    }
}
