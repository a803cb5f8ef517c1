namespace BandwidthOperator.Agent.Tests.EndToEnd;

/// <summary>Files of the repository the tests read (manifests).</summary>
internal static class RepoFiles
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BandwidthOperator.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("BandwidthOperator.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
