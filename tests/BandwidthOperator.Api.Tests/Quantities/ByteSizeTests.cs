using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Api.Tests.Quantities;

public class ByteSizeTests
{
    [Theory]
    [InlineData("64Ki", 65_536UL)]
    [InlineData("1Mi", 1_048_576UL)]
    [InlineData("1.5Ki", 1_536UL)]
    [InlineData("1500", 1_500UL)]
    [InlineData("1k", 1_000UL)]
    [InlineData("2Gi", 2_147_483_648UL)]
    public void Quantity_is_parsed_to_bytes(string text, ulong expected)
    {
        ByteSize.TryParse(text, out var size, out var error).ShouldBeTrue(error);
        size.Bytes.ShouldBe(expected);
    }

    [Theory]
    [InlineData("1.3Ki", "not a whole number")]
    [InlineData("-64Ki", "is negative")]
    [InlineData("64Kb", "not a quantity")]
    [InlineData("64ki", "not a quantity")]
    [InlineData("16Ei", "too large")]
    public void Invalid_size_is_refused(string text, string reasonPart)
    {
        ByteSize.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reasonPart);
    }

    [Fact]
    public void Parse_throws_naming_a_byte_size() =>
        Should.Throw<FormatException>(() => ByteSize.Parse("x")).Message.ShouldStartWith("byte size 'x'");

    [Theory]
    [InlineData(65_536UL, "64Ki")]
    [InlineData(1_048_576UL, "1Mi")]
    [InlineData(1_536UL, "1536")]
    [InlineData(1_500UL, "1500")]
    [InlineData(1_000UL, "1k")]
    [InlineData(0UL, "0")]
    [InlineData(3UL * 1024 * 1024 * 1024, "3Gi")]
    public void ToString_uses_the_largest_whole_binary_suffix(ulong bytes, string expected) =>
        new ByteSize(bytes).ToString().ShouldBe(expected);

    [Fact]
    public void ToTcString_is_bytes_with_b_suffix() =>
        ByteSize.Parse("64Ki").ToTcString().ShouldBe("65536b");

    [Fact]
    public void Comparison_follows_the_size()
    {
        (ByteSize.Parse("1Ki") < ByteSize.Parse("1025")).ShouldBeTrue();
        (ByteSize.Parse("1Ki") >= ByteSize.Parse("1024")).ShouldBeTrue();
        ByteSize.Parse("1Mi").CompareTo(ByteSize.Parse("1Ki")).ShouldBeGreaterThan(0);
    }
}
