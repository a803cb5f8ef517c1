namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>kubectl from the KUBECTL variable or PATH (only its built-in kustomize is used: no cluster).</summary>
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

            return ExecutableSearch.OnPath("kubectl")
                ?? throw new InvalidOperationException("kubectl is not on PATH (or set KUBECTL): the manifest tests render config/ with `kubectl kustomize`");
        }
    }

    public static ProcessResult Kustomize(string directory) =>
        ToolRunner.Run(Path, ["kustomize", directory]).ShouldSucceed();
}
