namespace BandwidthOperator.ApiServerDouble.Schema;

/// <summary>The repository's root, found by walking up from the running binaries to BandwidthOperator.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> RootPath = new(Find);

    public static string Path => RootPath.Value;

    /// <summary>The CRDs (the source of truth): <c>crds/</c>.</summary>
    public static string Crds => System.IO.Path.Combine(Path, "crds");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "BandwidthOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"BandwidthOperator.sln not found above {AppContext.BaseDirectory}");
    }
}
