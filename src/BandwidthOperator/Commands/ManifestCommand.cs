using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Status;
using BandwidthOperator.Api.Manifests;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Cli;
using BandwidthOperator.Output;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Commands;

/// <summary>
/// <c>plan</c> and <c>apply</c>: manifests + the kernel of the current network namespace → a plan, printed
/// as a class tree and tc command lines; <c>apply</c> then carries it out and reads the kernel back.
/// </summary>
internal static class ManifestCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int WouldChange = 2;
    public const int NotAllAdmitted = 3;

    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static int Run(bool apply, IReadOnlyList<string> args, Func<INodeKernel> openKernel, TextWriter stdout, TextWriter stderr)
    {
        var reader = new ArgumentReader(
            args,
            new Dictionary<string, string> { ["-f"] = "-f", ["--filename"] = "-f", ["--node"] = "--node", ["-o"] = "-o", ["--output"] = "-o" },
            new HashSet<string>());
        var path = reader.Value("-f") ?? throw new UsageException("-f FILE|DIR is required");
        var node = reader.Value("--node") ?? Environment.GetEnvironmentVariable("NODE_NAME") ?? System.Net.Dns.GetHostName();
        var output = reader.Value("-o");
        if (output is not (null or "yaml" or "text"))
        {
            throw new UsageException($"-o {output}: only 'yaml' (or the default text) is supported");
        }

        var manifests = ManifestReader.ReadPath(path);
        var request = new NodeRequest(node, manifests.Networks, manifests.Interfaces);
        using var kernel = openKernel();
        var converger = new NodeConverger(kernel);

        if (!apply)
        {
            var plan = converger.PlanOnly(request);
            PlanPrinter.PrintTrees(stdout, plan, plan.Interfaces, plan.Bridges);
            PlanPrinter.PrintOperations(stdout, plan.Operations);
            return plan.IsEmpty ? Ok : WouldChange;
        }

        var result = converger.Converge(request);
        if (output == "yaml")
        {
            WriteYaml(stdout, manifests, result, node);
        }
        else
        {
            PlanPrinter.PrintTrees(stdout, result.Plan, result.Interfaces, result.Bridges);
            if (result.Applied is null)
            {
                stdout.WriteLine("nothing to change: the kernel already matches");
            }
            else
            {
                stdout.WriteLine($"applied {result.Applied.Applied} of {result.Plan.Operations.Count} operation(s) in {result.Applied.KernelWrites} kernel write(s)");
            }
        }

        if (result.Applied is { Succeeded: false } failed)
        {
            stderr.WriteLine($"error: {failed.Error}");
            return Failed;
        }

        if (result.RemainingOperations > 0)
        {
            stderr.WriteLine($"error: after applying, {result.RemainingOperations} operation(s) still differ from the kernel:");
            foreach (var op in result.Remaining)
            {
                stderr.WriteLine($"  {Shaping.Tc.TcCommand.Render(op)}");
            }
            return Failed;
        }

        var refused = result.Interfaces.Where(i => !i.Admitted.Status || !i.Ready.Status).ToList();
        foreach (var i in refused)
        {
            stderr.WriteLine($"{i.Ref}: {(i.Admitted.Status ? i.Ready.Reason : i.Admitted.Reason)}: {(i.Admitted.Status ? i.Ready.Message : i.Admitted.Message)}");
        }

        var portIssues = result.Bridges.SelectMany(b => b.PortIssues).ToList();
        foreach (var issue in result.Plan.NetworkIssues.Concat(portIssues))
        {
            stderr.WriteLine(issue);
        }

        return refused.Count > 0 || result.Plan.NetworkIssues.Count > 0 || portIssues.Count > 0 ? NotAllAdmitted : Ok;
    }

    private static void WriteYaml(TextWriter stdout, ManifestSet manifests, ConvergeResult result, string node)
    {
        var now = DateTime.UtcNow;
        var first = true;
        foreach (var n in manifests.Networks)
        {
            var b = result.Bridges.FirstOrDefault(x => x.Network == n.Metadata?.Name);
            n.Status = new BridgeNetworkStatus
            {
                ObservedGeneration = n.Metadata?.Generation,
                Nodes = b is null ? null : [new BridgeNetworkNodeStatus
                {
                    NodeName = node,
                    Ready = b.Ready,
                    FloorSum = b.FloorSum.ToString(),
                    Interfaces = b.Interfaces,
                    LeafQdisc = b.LeafQdisc,
                    Message = b.Message,
                }],
            };
            Write(stdout, JsonSerializer.SerializeToNode(n, JsonOptions), ref first);
        }

        foreach (var i in manifests.Interfaces)
        {
            var o = result.Interfaces.FirstOrDefault(x => x.Ref.Name == i.Metadata?.Name && x.Ref.Namespace == i.Metadata?.NamespaceProperty);
            if (o is not null)
            {
                i.Status = InterfaceStatusBuilder.Build(o, i.Status, now);
            }

            Write(stdout, JsonSerializer.SerializeToNode(i, JsonOptions), ref first);
        }
    }

    private static void Write(TextWriter stdout, JsonNode? node, ref bool first)
    {
        if (!first)
        {
            stdout.WriteLine("---");
        }

        first = false;
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
            {
                obj.Remove(key);
            }
        }

        stdout.Write(YamlEmitter.Write(node));
    }
}
