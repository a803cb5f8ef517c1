namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>What one in-process run of the command line printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
