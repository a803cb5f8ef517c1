using BandwidthOperator.Api.Validation;
using k8s.Models;

namespace BandwidthOperator.Api.Tests.Validation;

public class LabelSelectorMatcherTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["zone"] = "a", ["tier"] = "gold" };

    private static V1LabelSelector Expr(string key, string op, params string[] values) =>
        new() { MatchExpressions = [new V1LabelSelectorRequirement { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values }] };

    [Fact]
    public void Null_selector_matches_everything() =>
        LabelSelectorMatcher.Matches(null, new Dictionary<string, string>()).ShouldBeTrue();

    [Fact]
    public void Empty_selector_matches_everything() =>
        LabelSelectorMatcher.Matches(new V1LabelSelector(), Labels).ShouldBeTrue();

    [Theory]
    [InlineData("zone", "a", true)]
    [InlineData("zone", "b", false)]
    [InlineData("rack", "a", false)]
    public void MatchLabels_needs_equal_values(string key, string value, bool expected) =>
        LabelSelectorMatcher.Matches(new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [key] = value } }, Labels).ShouldBe(expected);

    [Fact]
    public void MatchLabels_needs_every_label() =>
        LabelSelectorMatcher.Matches(new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["zone"] = "a", ["tier"] = "silver" } }, Labels).ShouldBeFalse();

    [Theory]
    [InlineData("zone", "In", true, "a", "b")]
    [InlineData("zone", "In", false, "b", "c")]
    [InlineData("rack", "In", false, "a")]
    [InlineData("zone", "NotIn", false, "a", "b")]
    [InlineData("zone", "NotIn", true, "b")]
    [InlineData("rack", "NotIn", true, "a")]
    [InlineData("zone", "Exists", true)]
    [InlineData("rack", "Exists", false)]
    [InlineData("zone", "DoesNotExist", false)]
    [InlineData("rack", "DoesNotExist", true)]
    [InlineData("zone", "Equals", false, "a")]
    public void MatchExpressions_operators(string key, string op, bool expected, params string[] values) =>
        LabelSelectorMatcher.Matches(Expr(key, op, values), Labels).ShouldBe(expected);

    [Fact]
    public void Labels_and_expressions_must_both_match()
    {
        var selector = Expr("tier", "In", "gold");
        selector.MatchLabels = new Dictionary<string, string> { ["zone"] = "b" };
        LabelSelectorMatcher.Matches(selector, Labels).ShouldBeFalse();
        selector.MatchLabels["zone"] = "a";
        LabelSelectorMatcher.Matches(selector, Labels).ShouldBeTrue();
    }
}
