using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Cli;
using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Commands;

/// <summary>
/// <c>teardown [--bridge B] [--dry-run]</c>: removes everything of ours from this node's kernel — the
/// class trees on bridges, the limits on their ports, our IFB devices — for a node whose agent is gone
/// (uninstall, or an agent that cannot run any more). It is the planner's own answer to "no network
/// wants anything here": the plan against an empty desired state, so it follows the ownership rules
/// and the layout the planner knows, and leaves every foreign qdisc, class and filter alone. With
/// <c>--bridge</c> only that bridge, its ports and their IFB devices are touched. A running agent whose
/// BridgeNetworks still exist puts its trees back: delete those first.
/// </summary>
internal static class TeardownCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int WouldChange = 2;

    public const string Usage = """
        Usage: bandwidth-operator teardown [--bridge B] [--dry-run]

        Removes everything of ours from the kernel of the current network namespace: the class trees,
        the hooks on bridge ports and our IFB devices (what `apply` and the agent build). Foreign qdiscs,
        classes and filters stay. For a node whose agent is gone (see the README's uninstall steps); a
        running agent puts back the trees of BridgeNetworks that still exist.

          --bridge B   only bridge B, its ports and their IFB devices
          --dry-run    print what would be removed; change nothing

        Exit codes: 0 nothing of ours is left, 2 --dry-run found something to remove, 1 error.
        """;

    public static int Run(IReadOnlyList<string> args, Func<INodeKernel> openKernel, TextWriter stdout, TextWriter stderr)
    {
        var reader = new ArgumentReader(args, new Dictionary<string, string> { ["--bridge"] = "--bridge" }, new HashSet<string> { "--dry-run" });
        var bridge = reader.Value("--bridge");
        var dryRun = reader.Flag("--dry-run");
        using var kernel = openKernel();

        var facts = kernel.ReadFacts([]);
        if (bridge is not null && !(facts.Devices.TryGetValue(bridge, out var device) && device.IsBridge))
        {
            stderr.WriteLine($"error: --bridge {bridge}: no bridge of that name in this network namespace");
            return Failed;
        }

        var operations = Removals(facts, bridge);
        if (operations.Count == 0)
        {
            stdout.WriteLine(bridge is null ? "nothing of ours on this node" : $"nothing of ours on bridge {bridge}");
            return Ok;
        }

        stdout.WriteLine(dryRun ? $"would remove ({operations.Count}):" : $"removing ({operations.Count}):");
        foreach (var op in operations)
        {
            stdout.WriteLine($"  {TcCommand.Render(op)}");
        }

        if (dryRun)
        {
            return WouldChange;
        }

        var applied = kernel.Apply(operations);
        if (!applied.Succeeded)
        {
            stderr.WriteLine($"error: the kernel refused {(applied.Failed is { } f ? TcCommand.Render(f) : "an operation")}: {applied.Error}");
            return Failed;
        }

        var left = Removals(kernel.ReadFacts([]), bridge);
        if (left.Count > 0)
        {
            stderr.WriteLine($"error: after removing, {left.Count} object(s) of ours are still there:");
            foreach (var op in left)
            {
                stderr.WriteLine($"  {TcCommand.Render(op)}");
            }

            return Failed;
        }

        stdout.WriteLine($"removed: {applied.Applied} operation(s) in {applied.KernelWrites} kernel write(s); nothing of ours is left");
        return Ok;
    }

    /// <summary>What the planner removes when no network asks for anything, limited to one bridge's devices when given.</summary>
    internal static IReadOnlyList<TcOperation> Removals(NodeFacts facts, string? bridge)
    {
        var plan = NodePlanner.Plan(new NodeRequest(string.Empty, [], []), facts);
        if (bridge is null)
        {
            return plan.Operations;
        }

        // The bridge, its trees' IFB devices, its ports (hooks), and the previous layout's per-port IFBs.
        var devices = KernelOwnership.DevicesOfBridge(facts, bridge);
        return [.. plan.Operations.Where(op => devices.Contains(op.Target.Device))];
    }
}
