namespace BandwidthOperator.Testing;

/// <summary>
/// The repository's root, found by walking up from the running binaries to BandwidthOperator.sln: the
/// one finder every test project, the API-server double and the benchmarks use.
/// </summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> RootPath = new(Find);

    public static string Path => RootPath.Value;

    /// <summary>A path under the root: <c>RepositoryRoot.Combine("config", "samples")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>The text of a file under the root.</summary>
    public static string Read(string relativePath) => File.ReadAllText(System.IO.Path.Combine(Path, relativePath));

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
