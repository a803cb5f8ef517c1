using System.Text.RegularExpressions;
using BandwidthOperator.Agent.Engine;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>
/// Every command has --help, the executable --version, every option is checked with a one-line error
/// (never a stack trace) before the kernel is opened, and the options the help lists are the real ones.
/// No kernel: these run without root.
/// </summary>
public sealed partial class CliOptionsTests
{
    private bool _kernelOpened;

    private CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr, OpenKernel);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    private INodeKernel OpenKernel()
    {
        _kernelOpened = true;
        throw new InvalidOperationException("test: the kernel was opened");
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("apply")]
    [InlineData("show")]
    [InlineData("demo")]
    [InlineData("agent")]
    public void Every_command_has_help(string command)
    {
        foreach (var flag in new[] { "--help", "-h" })
        {
            var run = Run(command, flag);

            run.ExitCode.ShouldBe(0, run.ToString());
            run.Stdout.ShouldStartWith($"Usage: bandwidth-operator {command}");
            run.Stdout.ShouldContain("-h, --help");
            run.Stderr.ShouldBeEmpty();
        }
    }

    [Fact]
    public void The_executable_has_a_version()
    {
        var run = Run("--version");

        run.ExitCode.ShouldBe(0);
        run.Stdout.Trim().ShouldMatch(@"^bandwidth-operator \d+\.\d+\.\d+$");
    }

    [Theory]
    [InlineData("show --interval abc", "error: --interval abc: a number of seconds, e.g. 1 or 0.5")]
    [InlineData("show --interval -1", "error: --interval -1: from 0.2 to 3600 seconds (shorter samples misreport rates)")]
    [InlineData("show --interval 0", "error: --interval 0: from 0.2 to 3600 seconds (shorter samples misreport rates)")]
    [InlineData("show --interval NaN", "error: --interval NaN: a number of seconds, e.g. 1 or 0.5")]
    [InlineData("show --count x", "error: --count x: a whole number of samples, 1 or more")]
    [InlineData("show --count 0", "error: --count 0: a whole number of samples, 1 or more")]
    [InlineData("show -o yaml", "error: -o yaml: 'text' (the default) or 'json'")]
    [InlineData("show --interval", "error: option --interval needs a value for show (see 'bandwidth-operator show --help')")]
    [InlineData("show --watch=yes", "error: option --watch takes no value for show (see 'bandwidth-operator show --help')")]
    [InlineData("plan -o yaml -f x", "error: plan prints text only; '-o yaml' belongs to apply (the manifests with the status it wrote)")]
    [InlineData("plan", "error: -f FILE|DIR is required")]
    [InlineData("plan -f --node", "error: option -f needs a value, not the option --node for plan (see 'bandwidth-operator plan --help')")]
    [InlineData("apply -f x -o json", "error: -o json: 'text' (the default) or 'yaml'")]
    [InlineData("apply -f x --bogus", "error: unknown option or argument '--bogus' for apply (see 'bandwidth-operator apply --help')")]
    [InlineData("frobnicate", "error: unknown command 'frobnicate' (plan, apply, show, teardown, demo, agent; --help, --version)")]
    public void A_bad_option_is_one_line_of_error_and_no_stack_trace(string args, string message)
    {
        var run = Run(args.Split(' '));

        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.Split('\n')[0].ShouldBe(message, run.ToString());
        run.Stderr.ShouldNotContain("   at ");
        run.Stderr.ShouldNotContain("Exception");
        run.Stdout.ShouldBeEmpty();
        _kernelOpened.ShouldBeFalse();
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("apply")]
    [InlineData("show")]
    [InlineData("demo")]
    [InlineData("agent")]
    public void The_options_the_help_lists_are_the_real_ones(string command)
    {
        var help = Run(command, "--help").Stdout;
        var options = OptionPattern().Matches(help.Split("Options:")[^1]).Select(m => m.Groups[1].Value).Distinct().Where(o => o is not ("-h" or "--help")).ToList();
        options.Count.ShouldBeGreaterThan(0, help);

        foreach (var option in options)
        {
            // A value in case it takes one, then an unknown option so that nothing runs: the reader goes in
            // order, so the error names the option under test only when it is not a real one.
            var run = Run(command, option, "0.5", "--zz-sentinel");
            run.ExitCode.ShouldBe(1, $"{command} {option}: {run}");
            run.Stderr.ShouldContain("unknown option or argument", Case.Sensitive, $"{command} {option}: {run}");
            run.Stderr.ShouldNotContain($"'{option}'", Case.Sensitive, $"{command} {option}: {run}");
        }
    }

    [GeneratedRegex(@"^\s+(?:-[a-z], )?(--?[a-z][a-z-]*)", RegexOptions.Multiline)]
    private static partial Regex OptionPattern();
}
