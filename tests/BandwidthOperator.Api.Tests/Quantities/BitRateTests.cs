using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Api.Tests.Quantities;

public class BitRateTests
{
    [Theory]
    [InlineData("100M", 100_000_000UL)]
    [InlineData("2.5G", 2_500_000_000UL)]
    [InlineData("1G", 1_000_000_000UL)]
    [InlineData("1e6", 1_000_000UL)]
    [InlineData("1E6", 1_000_000UL)]
    [InlineData("1.5e3", 1_500UL)]
    [InlineData("64Ki", 65_536UL)]
    [InlineData("1Mi", 1_048_576UL)]
    [InlineData("10k", 10_000UL)]
    [InlineData("1234", 1_234UL)]
    [InlineData("+5M", 5_000_000UL)]
    [InlineData(" 100M ", 100_000_000UL)]
    [InlineData("0", 0UL)]
    [InlineData("18E", 18_000_000_000_000_000_000UL)]
    public void Quantity_is_parsed_to_bits_per_second(string text, ulong expected)
    {
        BitRate.TryParse(text, out var rate, out var error).ShouldBeTrue(error);
        rate.BitsPerSecond.ShouldBe(expected);
        error.ShouldBeEmpty();
        BitRate.Parse(text).ShouldBe(new BitRate(expected));
    }

    [Theory]
    [InlineData("-100M", "is negative")]
    [InlineData("100m", "milli")]
    [InlineData("1.5", "not a whole number")]
    [InlineData("2.0000000005G", "not a whole number")]
    [InlineData("fast", "not a quantity")]
    [InlineData("100 M", "not a quantity")]
    [InlineData("100MB", "not a quantity")]
    [InlineData("M", "not a quantity")]
    [InlineData("1.2.3M", "not a quantity")]
    [InlineData("1e-3", "bad exponent")]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("20E", "too large")]
    [InlineData("18446744073709551616", "too large")]
    public void Invalid_quantity_is_refused_with_a_reason(string text, string reasonPart)
    {
        BitRate.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reasonPart);
    }

    [Fact]
    public void Null_is_refused_as_empty()
    {
        BitRate.TryParse(null, out _, out var error).ShouldBeFalse();
        error.ShouldBe("is empty");
    }

    [Fact]
    public void Refusal_message_quotes_the_text()
    {
        BitRate.TryParse("100m", out _, out var error).ShouldBeFalse();
        error.ShouldStartWith("'100m'");
        error.ShouldContain("M is mega");
    }

    [Fact]
    public void Parse_throws_a_format_exception_naming_the_quantity()
    {
        var e = Should.Throw<FormatException>(() => BitRate.Parse("-1"));
        e.Message.ShouldBe("bit rate '-1' is negative");
    }

    [Fact]
    public void Largest_value_is_accepted()
    {
        BitRate.Parse("18446744073709551615").BitsPerSecond.ShouldBe(ulong.MaxValue);
    }

    [Theory]
    [InlineData(2_500_000_000UL, "2500M")]
    [InlineData(100_000_000UL, "100M")]
    [InlineData(10_000_000_000UL, "10G")]
    [InlineData(1_000UL, "1k")]
    [InlineData(1_234UL, "1234")]
    [InlineData(1_500_000UL, "1500k")]
    [InlineData(0UL, "0")]
    public void ToString_prints_the_canonical_decimal_form(ulong bits, string expected) =>
        new BitRate(bits).ToString().ShouldBe(expected);

    [Theory]
    [InlineData(100_000_000UL, "100mbit")]
    [InlineData(2_500_000_000UL, "2500mbit")]
    [InlineData(1_000_000_000UL, "1gbit")]
    [InlineData(8_000UL, "8kbit")]
    [InlineData(1_234UL, "1234bit")]
    [InlineData(0UL, "0bit")]
    [InlineData(5_000_000_000_000_000UL, "5000tbit")]
    public void ToTcString_prints_what_tc_accepts(ulong bits, string expected) =>
        new BitRate(bits).ToTcString().ShouldBe(expected);

    [Theory]
    [InlineData(70_000_000UL, "70.0 Mbit/s")]
    [InlineData(999UL, "999 bit/s")]
    [InlineData(2_500_000_000UL, "2.5 Gbit/s")]
    public void ToHuman_prints_a_readable_rate(ulong bits, string expected) =>
        new BitRate(bits).ToHuman().ShouldBe(expected);

    [Fact]
    public void Round_trip_through_the_canonical_form_keeps_the_value()
    {
        foreach (var text in new[] { "2.5G", "100M", "64Ki", "1e6", "7" })
        {
            var rate = BitRate.Parse(text);
            BitRate.Parse(rate.ToString()).ShouldBe(rate);
        }
    }

    [Fact]
    public void Bytes_per_second_is_an_eighth_rounded_down()
    {
        new BitRate(100_000_000).BytesPerSecond.ShouldBe(12_500_000UL);
        new BitRate(15).BytesPerSecond.ShouldBe(1UL);
        BitRate.FromBytesPerSecond(125).BitsPerSecond.ShouldBe(1000UL);
    }

    [Fact]
    public void FromMegabits_rounds_to_whole_bits() =>
        BitRate.FromMegabits(70.5).BitsPerSecond.ShouldBe(70_500_000UL);

    [Fact]
    public void Subtraction_saturates_at_zero()
    {
        (BitRate.Parse("1G") - BitRate.Parse("400M")).ShouldBe(BitRate.Parse("600M"));
        (BitRate.Parse("400M") - BitRate.Parse("1G")).ShouldBe(BitRate.Zero);
    }

    [Fact]
    public void Addition_overflow_throws()
    {
        Should.Throw<OverflowException>(() => new BitRate(ulong.MaxValue) + new BitRate(1));
    }

    [Fact]
    public void Comparison_follows_the_rate()
    {
        var small = BitRate.Parse("100M");
        var big = BitRate.Parse("1G");
        (small < big).ShouldBeTrue();
        (big > small).ShouldBeTrue();
        (small <= BitRate.Parse("100M")).ShouldBeTrue();
        BitRate.Min(small, big).ShouldBe(small);
        BitRate.Max(small, big).ShouldBe(big);
        small.CompareTo(big).ShouldBeLessThan(0);
    }
    [Fact]
    public void Exponent_form_that_fits_is_accepted()
    {
        BitRate.Parse("1e19").BitsPerSecond.ShouldBe(10_000_000_000_000_000_000UL);
        BitRate.TryParse("1e21", out _, out var error).ShouldBeFalse();
        error.ShouldContain("too large");
    }
}
