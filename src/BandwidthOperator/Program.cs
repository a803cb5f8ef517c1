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
          bandwidth-operator plan  -f FILE|DIR [--node NAME]            print the class tree and the tc commands it would run
          bandwidth-operator apply -f FILE|DIR [--node NAME] [-o yaml]  apply them to the kernel (no API server needed)
          bandwidth-operator show  [--bridge B] [--watch] [-o json]     the live tree: floors, ceilings, rates, drops
          bandwidth-operator teardown [--bridge B] [--dry-run]          remove every tree, port limit and IFB of ours
                                                                  (a node whose agent is gone; foreign qdiscs stay)
          bandwidth-operator demo  [--seconds N] [--png PATH]           (root) see floors hold: a throw-away bridge, 3 guests,
                                                                 greedy traffic without shaping, with limits, with floors
          bandwidth-operator agent [--node NAME] [--kubeconfig PATH] [--netns NAME|PATH]
                                                                  the node agent: watch the API, shape this node, write statuses

        Every command works in the current network namespace (use `ip netns exec NS bandwidth-operator …`).
        The node defaults to $NODE_NAME, then the host name (agent: --node or $NODE_NAME, required);
        InterfaceBandwidths of other nodes are ignored. The agent reads --kubeconfig, else $KUBECONFIG,
        else the in-cluster service account; settings: Agent__ResyncPeriod, Agent__HealthPort (/healthz,
        /readyz), Agent__Metrics__Enabled, Agent__Metrics__Port (/metrics).
        Exit codes: 0 ok (plan: kernel already matches); 1 error; 2 plan would change something;
        3 apply applied everything valid but some resources are invalid or not admitted;
        4 demo: a floor did not hold; 130 demo interrupted (it cleans up first).
        """;

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

        var rest = args[1..];
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
                _ => throw new UsageException($"unknown command '{args[0]}' (plan, apply, show, teardown, demo, agent)"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine("run 'bandwidth-operator --help' for usage");
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
