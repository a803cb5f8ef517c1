using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Api.Tests.Quantities;

public class QuantityParserTests
{
    [Theory]
    [InlineData("1Ki", 1024UL)]
    [InlineData("1Ei", 1_152_921_504_606_846_976UL)]
    [InlineData("1P", 1_000_000_000_000_000UL)]
    [InlineData("1T", 1_000_000_000_000UL)]
    [InlineData(".5k", 500UL)]
    [InlineData("5.", 5UL)]
    [InlineData("1e18", 1_000_000_000_000_000_000UL)]
    public void Every_suffix_has_its_factor(string text, ulong expected)
    {
        QuantityParser.TryParse(text, out var v, out var error).ShouldBeTrue(error);
        v.ShouldBe(expected);
    }

    [Theory]
    [InlineData("1ee6", "bad exponent")]
    [InlineData(".", "not a quantity")]
    [InlineData("Ki", "not a quantity")]
    public void Odd_forms_are_refused(string text, string reasonPart)
    {
        QuantityParser.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldContain(reasonPart);
    }

    [Theory]
    [InlineData(1_000_000UL, "1M")]
    [InlineData(1_000_000_000_000_000_000UL, "1E")]
    [InlineData(1_001UL, "1001")]
    public void FormatDecimal_is_canonical(ulong value, string expected) =>
        QuantityParser.FormatDecimal(value).ShouldBe(expected);

    [Theory]
    [InlineData(1024UL, "1Ki")]
    [InlineData(1_152_921_504_606_846_976UL, "1Ei")]
    [InlineData(2_000UL, "2k")]
    public void FormatBinary_is_canonical(ulong value, string expected) =>
        QuantityParser.FormatBinary(value).ShouldBe(expected);
}
