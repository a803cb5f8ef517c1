namespace BandwidthOperator.Manifests.Tests.Support;

/// <summary>What a finished tool run printed and how it exited.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public ProcessResult ShouldSucceed()
    {
        ExitCode.ShouldBe(0, $"`{CommandLine}` failed:\n{StandardError}\n{StandardOutput}");
        return this;
    }
}
