namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>`agent`: its arguments, the explicit choice of API server, and settings validated at start.</summary>
[Collection(AgentEnvironmentCollection.Name)]
public sealed class AgentCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bwo-agent-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr, () => throw new InvalidOperationException("agent opens its own kernel"));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    private string Kubeconfig()
    {
        var path = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster: {server: "http://127.0.0.1:9"}
            users:
            - name: test
              user: {token: test-token}
            contexts:
            - name: test
              context: {cluster: test, user: test}
            current-context: test
            """);
        return path;
    }

    [Fact]
    public void Without_a_node_name_it_says_how_to_give_one()
    {
        var previous = Environment.GetEnvironmentVariable("NODE_NAME");
        Environment.SetEnvironmentVariable("NODE_NAME", null);
        try
        {
            var run = Run("agent", "--kubeconfig", Kubeconfig());
            run.ExitCode.ShouldBe(1, run.ToString());
            run.Stderr.ShouldContain("--node NAME or the NODE_NAME environment variable");
        }
        finally
        {
            Environment.SetEnvironmentVariable("NODE_NAME", previous);
        }
    }

    [Fact]
    public void An_unknown_log_format_is_refused_naming_the_choices()
    {
        var run = Run("agent", "--node", "node-a", "--kubeconfig", Kubeconfig(), "--log-format", "xml");
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("--log-format must be text or json, was 'xml'");
    }

    [Fact]
    public void A_missing_kubeconfig_is_named()
    {
        var run = Run("agent", "--node", "node-a", "--kubeconfig", Path.Combine(_dir, "absent"));
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain("absent");
        run.Stderr.ShouldContain("--kubeconfig");
    }

    [Fact]
    public void A_kubeconfig_without_credentials_is_an_error_naming_the_file()
    {
        var path = Kubeconfig();
        File.WriteAllText(path, File.ReadAllText(path).Replace("{token: test-token}", "{}", StringComparison.Ordinal));
        var run = Run("agent", "--node", "node-a", "--kubeconfig", path);
        run.ExitCode.ShouldBe(1, run.ToString());
        run.Stderr.ShouldContain($"error: kubeconfig {path} (from --kubeconfig)");
    }

    [Fact]
    public void An_unknown_option_is_refused()
    {
        var run = Run("agent", "--node", "node-a", "--bogus");
        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("--bogus");
    }

    [Fact]
    public void A_bad_setting_stops_the_agent_at_start_naming_the_setting()
    {
        Environment.SetEnvironmentVariable("Agent__ResyncPeriod", "00:00:00");
        try
        {
            var run = Run("agent", "--node", "node-a", "--kubeconfig", Kubeconfig());
            run.ExitCode.ShouldBe(1, run.ToString());
            run.Stderr.ShouldContain("Agent:ResyncPeriod");
            run.Stderr.ShouldContain("kubeconfig " + Path.Combine(_dir, "kubeconfig"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Agent__ResyncPeriod", null);
        }
    }

    [Fact]
    public void Help_lists_the_agent()
    {
        Run("--help").Stdout.ShouldContain("bandwidth-operator agent [--node NAME] [--kubeconfig PATH] [--netns NAME|PATH]");
    }
}
