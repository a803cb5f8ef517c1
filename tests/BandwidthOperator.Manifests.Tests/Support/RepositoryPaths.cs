namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>Paths in the repository, found by walking up from the test binaries to BandwidthOperator.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root => BandwidthOperator.Testing.RepositoryRoot.Path;

    public static string Crds => Path.Combine(Root, "crds");

    public static string Config => Path.Combine(Root, "config");

    public static string Chart => Path.Combine(Root, "charts", "bandwidth-operator");

    public static string Samples => Path.Combine(Config, "samples");

    public static string BadSamples => Path.Combine(Samples, "bad");

    public static string TestData => Path.Combine(Root, "tests", "BandwidthOperator.Manifests.Tests", "testdata");

    public static string CrdFile(string plural) => Path.Combine(Crds, $"bandwidthoperator.io_{plural}.yaml");
}
