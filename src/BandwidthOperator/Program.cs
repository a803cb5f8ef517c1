using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Manifests;
using BandwidthOperator.Cli;
using BandwidthOperator.Commands;
using BandwidthOperator.Demo;

namespace BandwidthOperator;

internal static class Program
{
    private const string Usage = """
        bandwidth-operator — guaranteed minimum bandwidth (floors) for interfaces on Linux bridges

        Usage:
          bandwidth-operator plan  -f FILE|DIR [--node NAME] [--prune]     print the class tree and the tc commands it would run
          bandwidth-operator apply -f FILE|DIR [--node NAME] [--prune] [-o yaml]
                                                                 apply them to the kernel (no API server needed)
          bandwidth-operator show  [-f FILE|DIR] [--bridge B] [--watch] [--interval S] [--count N] [-o json] [--no-color]
                                                                 is each floor holding: rate vs floor, and whether a class asks for more
          bandwidth-operator teardown [--bridge B] [--dry-run]
                                                                 remove every tree, port hook and IFB of ours
                                                                 (a node whose agent is gone; foreign qdiscs stay)
          bandwidth-operator demo  [--seconds N] [--png PATH] [-f DIR] [--node NAME] [--no-color]
                                                                 (root) see floors hold: a throw-away bridge, 3 guests,
                                                                 greedy traffic without shaping, with limits, with floors
          bandwidth-operator agent [--node NAME] [--kubeconfig PATH] [--netns NAME|PATH] [--log-format text|json]
                                                                 the node agent: watch the API, shape this node, write statuses
          bandwidth-operator COMMAND --help                      the options of one command
          bandwidth-operator --version

        Every command works in the current network namespace (use `ip netns exec NS bandwidth-operator …`).
        plan/apply: the manifests are the desired state of the bridges their BridgeNetworks name; other
        bridges are left alone unless --prune. The node defaults to $NODE_NAME, then the host name
        (agent: --node or $NODE_NAME, required). The agent reads --kubeconfig, else $KUBECONFIG, else
        the in-cluster service account; settings: Agent__ResyncPeriod, Agent__HealthPort (/healthz,
        /readyz on 127.0.0.1, 13080), Agent__Metrics__Enabled, Agent__Metrics__Port (/metrics, 13090),
        Agent__Metrics__Secure (HTTPS on every address with TokenReview/SubjectAccessReview).
        Exit codes: 0 ok (plan: the kernel already matches); 1 error; 2 plan: would change something;
        3 some resources are invalid or not admitted (apply: everything valid was applied);
        4 demo: a floor did not hold; 5 plan/apply: input refused, nothing changed; 130 demo interrupted.
        """;

    private const string DemoUsage = """
        Usage: bandwidth-operator demo [--seconds N] [--png PATH] [-f DIR] [--node NAME] [--no-color]

        (root) Build a throw-away bridge with 3 guests in network namespaces, run greedy traffic without
        shaping, with limits, then with floors; print a live table and a summary, write a chart, and remove
        everything it made (also on Ctrl-C).

        Options:
          --seconds N              seconds per phase, 1 to 600 (default 6)
          --png PATH               where the chart goes (default bandwidth-demo.png)
          -f, --filename DIR       manifests for the demo (default: the built-in config/samples/demo)
          --node NAME              the node name in the manifests (default demo)
          --no-color               no colours (also NO_COLOR=1)
          -h, --help               this help

        Exit codes: 0 every floor held; 4 a floor did not hold; 130 interrupted; 1 error.
        """;

    private const string AgentUsage = """
        Usage: bandwidth-operator agent [--node NAME] [--kubeconfig PATH] [--netns NAME|PATH] [--log-format text|json]

        The node agent (run by the DaemonSet): watch BridgeNetworks and InterfaceBandwidths, shape this
        node's bridges, write statuses and Events. Runs until SIGTERM/SIGINT; the kernel is left as it is.

        Options:
          --node NAME              this node (default $NODE_NAME; one of them is required)
          --kubeconfig PATH        the API server's kubeconfig (default $KUBECONFIG, else in-cluster)
          --netns NAME|PATH        shape a named network namespace instead of the current one
          --log-format text|json   one line per log entry (default text), or one JSON object per line
          -h, --help               this help

        Settings (environment): Agent__ResyncPeriod, Agent__HealthPort (/healthz, /readyz on 127.0.0.1,
        default 13080), Agent__Metrics__Enabled, Agent__Metrics__Port (/metrics, default 13090),
        Agent__Metrics__Secure (HTTPS on every address, callers checked with TokenReview and
        SubjectAccessReview), Logging__LogLevel__Default (stack traces only at Debug).
        """;

    /// <summary>The version of this executable (the assembly's informational version, without build metadata).</summary>
    public static string Version =>
        (System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(Program).Assembly)?.InformationalVersion ?? "unknown").Split('+')[0];

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, KernelFactory.Open);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<INodeKernel> openKernel)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }

        if (args[0] is "--version" or "version")
        {
            stdout.WriteLine($"bandwidth-operator {Version}");
            return 0;
        }

        var rest = args[1..];
        if (rest.Any(a => a is "-h" or "--help"))
        {
            var help = args[0] switch
            {
                "plan" => ManifestCommand.PlanUsage,
                "apply" => ManifestCommand.ApplyUsage,
                "show" => ShowCommand.Usage,
                "teardown" => TeardownCommand.Usage,
                "demo" => DemoUsage,
                "agent" => AgentUsage,
                _ => null,
            };
            if (help is not null)
            {
                stdout.WriteLine(help);
                return 0;
            }
        }

        try
        {
            return args[0] switch
            {
                "plan" => ManifestCommand.Run(apply: false, rest, openKernel, stdout, stderr),
                "apply" => ManifestCommand.Run(apply: true, rest, openKernel, stdout, stderr),
                "show" => ShowCommand.Run(rest, openKernel, stdout, stderr),
                "teardown" => TeardownCommand.Run(rest, openKernel, stdout, stderr),
                "demo" => DemoCommand.Run(rest, stdout, stderr),
                "agent" => AgentCommand.Run(rest, stderr),
                _ => throw new UsageException($"unknown command '{args[0]}' (plan, apply, show, teardown, demo, agent; --help, --version)"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            if (!e.Message.Contains("--help", StringComparison.Ordinal))
            {
                stderr.WriteLine(args[0] is "plan" or "apply" or "show" or "demo" or "agent"
                    ? $"run 'bandwidth-operator {args[0]} --help' for its options"
                    : "run 'bandwidth-operator --help' for usage");
            }

            return 1;
        }
        catch (ManifestException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
