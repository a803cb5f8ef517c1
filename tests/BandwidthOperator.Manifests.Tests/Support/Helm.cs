namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>
/// A real helm binary: the HELM variable, else .tools/helm (installed by <c>bash .ci/install-helm.sh</c>).
/// Helm's cache, config and data folders go to a temporary folder so the tests leave no state behind.
/// </summary>
internal static class Helm
{
    public const string ReleaseName = "bandwidth-operator";

    public const string Namespace = "bandwidth-operator-system";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Environment = new(() =>
    {
        var home = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bandwidth-operator-manifest-tests-helm");
        return new Dictionary<string, string>
        {
            ["HELM_CACHE_HOME"] = System.IO.Path.Combine(home, "cache"),
            ["HELM_CONFIG_HOME"] = System.IO.Path.Combine(home, "config"),
            ["HELM_DATA_HOME"] = System.IO.Path.Combine(home, "data"),
        };
    });

    public static string Path
    {
        get
        {
            var fromEnv = System.Environment.GetEnvironmentVariable("HELM");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return File.Exists(fromEnv)
                    ? fromEnv
                    : throw new InvalidOperationException($"HELM={fromEnv} does not exist: point HELM at a helm binary, or unset it and run `bash .ci/install-helm.sh`");
            }

            var local = System.IO.Path.Combine(RepositoryPaths.Root, ".tools", "helm");
            return File.Exists(local)
                ? local
                : throw new InvalidOperationException($"helm not found: run `bash .ci/install-helm.sh` (installs {local}) or set HELM to a helm binary");
        }
    }

    public static ProcessResult Run(params string[] arguments) => ToolRunner.Run(Path, arguments, Environment.Value);

    public static ProcessResult Lint(string? valuesFile = null) =>
        Run(valuesFile is null
            ? ["lint", "--strict", RepositoryPaths.Chart]
            : ["lint", "--strict", RepositoryPaths.Chart, "-f", valuesFile]);

    /// <summary><c>helm template</c> with the CRDs, as <c>bandwidth-operator</c> in <c>bandwidth-operator-system</c>.</summary>
    public static ProcessResult Template(params string[] extraArguments) =>
        Run(["template", ReleaseName, RepositoryPaths.Chart, "--namespace", Namespace, "--include-crds", .. extraArguments]);
}
