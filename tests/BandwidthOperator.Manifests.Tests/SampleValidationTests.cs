using BandwidthOperator.Api.Schema;
using System.Text.RegularExpressions;
using BandwidthOperator.ApiServerDouble.Schema;
using BandwidthOperator.Manifests.Tests.Support;

namespace BandwidthOperator.Manifests.Tests;

/// <summary>
/// config/samples validate against the CRDs' schemas; every file in config/samples/bad is rejected, with an
/// error on the field its <c># expect-error: FIELD</c> comment names. CEL rules are evaluated only in the
/// shapes <see cref="CelRuleSubset"/> knows (CrdDefinitionTests fails if a CRD has another).
/// </summary>
public sealed partial class SampleValidationTests
{
    private static readonly CrdCatalog Crds = CrdCatalog.FromRepository();

    public static TheoryData<string> GoodSamples() => [.. GoodSampleFiles()];

    public static TheoryData<string> BadSamples() => [.. BadSampleFiles()];

    private static IEnumerable<string> GoodSampleFiles() =>
        Directory.GetFiles(RepositoryPaths.Samples, "*.yaml").Select(Path.GetFileName).OfType<string>()
            .Where(n => n != "kustomization.yaml").Order(StringComparer.Ordinal);

    private static IEnumerable<string> BadSampleFiles() =>
        Directory.GetFiles(RepositoryPaths.BadSamples, "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static TheoryData<string> DesignExamples() => ["design-bridgenetwork.yaml", "design-interfacebandwidth.yaml"];

    [Fact]
    public void There_are_samples_of_both_kinds_and_the_required_bad_ones()
    {
        GoodSampleFiles().Count().ShouldBeGreaterThanOrEqualTo(2);
        var expected = BadSampleFiles().Select(f => ExpectedField(Path.Combine(RepositoryPaths.BadSamples, f))).ToList();
        expected.ShouldContain("spec.macAddress");
        expected.ShouldContain("spec.network");
        expected.ShouldContain("spec.bridge");
        expected.ShouldContain(f => f.StartsWith("spec.inbound.", StringComparison.Ordinal), "a negative rate");
    }

    [Theory]
    [MemberData(nameof(GoodSamples))]
    public void Sample_is_valid(string fileName)
    {
        foreach (var obj in YamlDocuments.ParseFile(Path.Combine(RepositoryPaths.Samples, fileName)))
        {
            if ((string?)obj["apiVersion"] == "v1" && (string?)obj["kind"] == "Namespace")
            {
                continue; // the samples' own namespace (SampleKustomizationTests)
            }

            var (errors, skipped) = Crds.Validate(obj);
            errors.ShouldBeEmpty($"{fileName}:\n{string.Join('\n', errors)}");
            skipped.ShouldBeEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(DesignExamples))]
    public void Design_example_with_status_is_valid(string fileName)
    {
        var (errors, skipped) = Crds.Validate(YamlDocuments.ParseSingle(Path.Combine(RepositoryPaths.TestData, fileName)));
        errors.ShouldBeEmpty($"{fileName}:\n{string.Join('\n', errors)}");
        skipped.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadSamples))]
    public void Bad_sample_is_rejected_naming_the_field(string fileName)
    {
        var path = Path.Combine(RepositoryPaths.BadSamples, fileName);
        var text = File.ReadAllText(path);
        text.ShouldStartWith("# BAD: ", customMessage: $"{fileName} should start with a comment saying what is wrong");
        var field = ExpectedField(path);

        var (errors, _) = Crds.Validate(YamlDocuments.ParseSingle(path));
        errors.ShouldNotBeEmpty($"{fileName} was accepted");
        errors.ShouldContain(e => e.Path == field, $"{fileName}: expected an error on {field}, got:\n{string.Join('\n', errors)}");
        errors.ShouldAllBe(e => e.Path == field, $"{fileName} should be wrong in one field only:\n{string.Join('\n', errors)}");
    }

    private static string ExpectedField(string path)
    {
        var match = ExpectErrorPattern().Match(File.ReadAllText(path));
        match.Success.ShouldBeTrue($"{path} needs a '# expect-error: FIELD' comment");
        return match.Groups["field"].Value;
    }

    [GeneratedRegex(@"^# expect-error: (?<field>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ExpectErrorPattern();
}
