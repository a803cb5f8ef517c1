using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Api.Tests.Quantities;

public sealed class QuantityHintsTests
{
    [Theory]
    [InlineData("100mbit", "100M")]
    [InlineData("60mbit", "60M")]
    [InlineData("1gbit", "1G")]
    [InlineData("2.5Gbit", "2500M")]
    [InlineData("100kbit", "100k")]
    [InlineData("10Mbps", "80M")]
    [InlineData("100Mi", "100M")]
    [InlineData("100m", "100M")]
    public void Tc_spellings_and_binary_suffixes_suggest_the_quantity(string written, string suggested) =>
        QuantityHints.Suggest(written).ShouldBe(suggested);

    [Theory]
    [InlineData("fast")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("100")]
    public void Nothing_is_suggested_without_a_likely_meaning(string? written) =>
        QuantityHints.Suggest(written).ShouldBeNull();

    [Theory]
    [InlineData("100Mi", true)]
    [InlineData("64Ki", true)]
    [InlineData("100M", false)]
    [InlineData("1e6", false)]
    public void Binary_suffixes_are_recognised(string text, bool binary) =>
        QuantityHints.HasBinarySuffix(text).ShouldBe(binary);
}
