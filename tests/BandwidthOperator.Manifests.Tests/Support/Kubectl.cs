namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>
/// kubectl from the KUBECTL variable, else PATH, else .tools/kubectl (installed by <c>bash .ci/install-helm.sh</c>).
/// Only its built-in kustomize is used: no cluster is needed.
/// </summary>
internal static class Kubectl
{
    public static string Path
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("KUBECTL");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return File.Exists(fromEnv) ? fromEnv : throw new InvalidOperationException($"KUBECTL={fromEnv} does not exist");
            }

            var local = System.IO.Path.Combine(RepositoryPaths.Root, ".tools", "kubectl");
            return ExecutableSearch.OnPath("kubectl")
                ?? (File.Exists(local) ? local : null)
                ?? throw new InvalidOperationException(
                    "kubectl not found: put it on PATH, set KUBECTL, or run `bash .ci/install-helm.sh` (installs .tools/kubectl); the manifest tests render config/ with `kubectl kustomize`");
        }
    }

    public static ProcessResult Kustomize(string directory) =>
        ToolRunner.Run(Path, ["kustomize", directory]).ShouldSucceed();
}
