using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BandwidthOperator.Api.Schema;

/// <summary>
/// Evaluates the few shapes of CEL rule (<c>x-kubernetes-validations</c>) that our CRDs use, so the
/// samples are checked against them too. This is not a CEL implementation: any other rule is
/// reported as unsupported (<see langword="null"/>) and the caller records it as skipped.
/// <list type="bullet">
/// <item><c>!has(self.a) || has(self.b)</c>: field a needs field b.</item>
/// <item><c>self != 'x'</c>, also joined with <c>&amp;&amp;</c>: a string is none of these literals.</item>
/// <item><c>has(self.a) != has(self.b)</c>: exactly one of the two fields.</item>
/// <item><c>!has(self.a) || !has(self.b)</c>: at most one of the two fields.</item>
/// </list>
/// </summary>
public static partial class CelRuleSubset
{
    public static bool IsSupported(string rule) => Evaluate(rule, new JsonObject()) is not null || IsStringExclusion(rule);

    public static bool? Evaluate(string rule, JsonNode? self)
    {
        var requires = RequiresPattern().Match(rule);
        if (requires.Success)
        {
            if (self is not JsonObject o)
            {
                return null;
            }

            return !o.ContainsKey(requires.Groups["a"].Value) || o.ContainsKey(requires.Groups["b"].Value);
        }

        var exactlyOne = ExactlyOnePattern().Match(rule);
        if (exactlyOne.Success)
        {
            return self is JsonObject o1 ? o1.ContainsKey(exactlyOne.Groups["a"].Value) != o1.ContainsKey(exactlyOne.Groups["b"].Value) : null;
        }

        var atMostOne = AtMostOnePattern().Match(rule);
        if (atMostOne.Success)
        {
            return self is JsonObject o2 ? !o2.ContainsKey(atMostOne.Groups["a"].Value) || !o2.ContainsKey(atMostOne.Groups["b"].Value) : null;
        }

        if (IsStringExclusion(rule))
        {
            if (self is not JsonValue v || !v.TryGetValue<string>(out var s))
            {
                return null;
            }

            return rule.Split(" && ").All(part => ExclusionPattern().Match(part).Groups["literal"].Value != s);
        }

        return null;
    }

    private static bool IsStringExclusion(string rule) => rule.Split(" && ").All(part => ExclusionPattern().IsMatch(part));

    [GeneratedRegex(@"^!has\(self\.(?<a>[A-Za-z_][A-Za-z0-9_]*)\) \|\| has\(self\.(?<b>[A-Za-z_][A-Za-z0-9_]*)\)$")]
    private static partial Regex RequiresPattern();

    [GeneratedRegex(@"^has\(self\.(?<a>[A-Za-z_][A-Za-z0-9_]*)\) != has\(self\.(?<b>[A-Za-z_][A-Za-z0-9_]*)\)$")]
    private static partial Regex ExactlyOnePattern();

    [GeneratedRegex(@"^!has\(self\.(?<a>[A-Za-z_][A-Za-z0-9_]*)\) \|\| !has\(self\.(?<b>[A-Za-z_][A-Za-z0-9_]*)\)$")]
    private static partial Regex AtMostOnePattern();

    [GeneratedRegex(@"^self != '(?<literal>[^'\\]*)'$")]
    private static partial Regex ExclusionPattern();
}
