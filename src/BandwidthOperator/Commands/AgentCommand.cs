using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Health;
using BandwidthOperator.Agent.Hosting;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Agent.Memory;
using BandwidthOperator.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BandwidthOperator.Commands;

/// <summary>
/// <c>agent [--node NAME] [--kubeconfig PATH] [--netns NAME|PATH] [--log-format text|json]</c>: the node agent (DaemonSet).
/// The node comes from --node, else NODE_NAME; the API server from --kubeconfig, else KUBECONFIG, else
/// the in-cluster service account (never a silent localhost). --netns runs the kernel side in a
/// named network namespace (tests). Runs until SIGTERM/SIGINT; the kernel is left as it is.
/// </summary>
internal static class AgentCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stderr)
    {
        var reader = new ArgumentReader(
            args,
            new Dictionary<string, string> { ["--node"] = "--node", ["--kubeconfig"] = "--kubeconfig", ["--netns"] = "--netns", ["--log-format"] = "--log-format" },
            new HashSet<string>());
        var node = reader.Value("--node") ?? Environment.GetEnvironmentVariable("NODE_NAME");
        if (string.IsNullOrWhiteSpace(node))
        {
            throw new UsageException("agent needs the node name: --node NAME or the NODE_NAME environment variable");
        }

        var logFormat = reader.Value("--log-format") switch
        {
            null or "text" => AgentLogFormat.Text,
            "json" => AgentLogFormat.Json,
            var other => throw new UsageException($"--log-format must be text or json, was '{other}'"),
        };
        var netns = NetnsPath(reader.Value("--netns"));
        var choice = KubeConfigSelector.Select(reader.Value("--kubeconfig"), Environment.GetEnvironmentVariable, File.Exists);
        stderr.WriteLine(choice.Source == KubeConfigSource.InCluster
            ? $"agent: node {node}, in-cluster configuration ({choice.Reason})"
            : $"agent: node {node}, kubeconfig {choice.Path} ({choice.Reason})");
        var config = KubeConfigSelector.Load(choice);

        // The agent's own API client, not KubernetesClient's Kubernetes class (docs/architecture.md, "Memory").
        using var client = KubeApi.Create(config);
        using var kernel = NetlinkNodeKernel.Open(netns);
        try
        {
            using var host = AgentHost.Build(new AgentIdentity(node, netns), client, kernel, logFormat: logFormat);
            var health = host.Services.GetRequiredService<AgentHealth>();
            // Memory back to the OS after bursts (docs/architecture.md, "Memory"); Memory__Trim=false turns it off.
            var trimmer = string.Equals(host.Services.GetRequiredService<IConfiguration>()["Memory:Trim"], "false", StringComparison.OrdinalIgnoreCase)
                ? null
                : new MemoryTrimmer(MemoryTrimPolicy.Default(GC.GetTotalAllocatedBytes()), TimeProvider.System, host.Services.GetRequiredService<ILogger<MemoryTrimmer>>());
            try
            {
                host.Run();
            }
            finally
            {
                trimmer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            if (!health.Live)
            {
                stderr.WriteLine($"error: {health.Failure}");
                return 1;
            }

            return 0;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                stderr.WriteLine($"error: {failure}");
            }

            return 1;
        }
    }

    /// <summary>A bare name is an <c>ip netns</c> name (/var/run/netns/NAME); anything with a slash is a path.</summary>
    internal static string? NetnsPath(string? value) =>
        string.IsNullOrEmpty(value) ? null : Netlink.Namespaces.NetworkNamespaceThread.PathOf(value);
}
