using System.Diagnostics;

namespace BandwidthOperator.Lab.Netns;

/// <summary>Runs a host program (ip, tc) and returns its output; throws with stderr when it fails.</summary>
public static class HostCommand
{
    public static string Run(string file, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {stderr.Trim()}");
        }

        return stdout;
    }

    /// <summary>Runs the program with <paramref name="input"/> on its standard input (for <c>ip -batch -</c>, <c>tc -batch -</c>).</summary>
    public static string RunWithInput(string file, string input, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(file, input, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {stderr.Trim()}\ninput:\n{input}");
        }

        return stdout;
    }

    public static (int ExitCode, string Stdout, string Stderr) TryRun(string file, params string[] args) => TryRun(file, null, args);

    private static (int ExitCode, string Stdout, string Stderr) TryRun(string file, string? input, string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        if (input is not null)
        {
            p.StandardInput.Write(input);
            p.StandardInput.Close();
        }

        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
