using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Status;
using BandwidthOperator.Api.Manifests;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Cli;
using BandwidthOperator.Output;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Commands;

/// <summary>
/// <c>plan</c> and <c>apply</c>: manifests + the kernel of the current network namespace → a plan, printed
/// as a class tree and tc command lines; <c>apply</c> then carries it out, says what it ran and reads the
/// kernel back. The manifests are the desired state of the bridges they name; nothing else changes
/// unless asked (<c>--prune</c>). Input that is surely a mistake is refused before the kernel is read.
/// </summary>
internal static class ManifestCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int WouldChange = 2;
    public const int NotAllAdmitted = 3;
    public const int InputRefused = 5;

    public const string PlanUsage = """
        Usage: bandwidth-operator plan -f FILE|DIR [--node NAME] [--prune] [--skip-other-nodes] [--skip-other-kinds] [--allow-empty]

        Print the class tree the manifests ask for on this node and the tc commands that would get the
        kernel of the current network namespace there. Changes nothing.

        The manifests are the desired state of the bridges their BridgeNetworks name: other bridges are
        left as they are. Manifests are checked against the CRD schemas first (unknown fields, types,
        patterns), as kubectl's strict field validation does.

        Options:
          -f, --filename FILE|DIR  a YAML/JSON file or a folder of them (required)
          --node NAME              this node (default $NODE_NAME, then the host name); InterfaceBandwidths
                                   of other nodes are an error unless --skip-other-nodes
          --prune                  also remove our trees from bridges that no BridgeNetwork names
          --skip-other-nodes       skip InterfaceBandwidths whose spec.nodeName is another node
          --skip-other-kinds       skip documents that are not BridgeNetwork/InterfaceBandwidth
                                   (bandwidthoperator.io/v1alpha1)
          --allow-empty            accept files or folders without any manifest
          -h, --help               this help

        Exit codes: 0 the kernel already matches; 2 it would change; 3 some resources are invalid or not
        admitted (the rest is planned); 5 input refused (manifests unreadable, refused by the schema,
        skipped or empty without the flag that allows it), nothing read from the kernel; 1 other errors.
        """;

    public const string ApplyUsage = """
        Usage: bandwidth-operator apply -f FILE|DIR [--node NAME] [-o text|yaml] [--prune] [--skip-other-nodes] [--skip-other-kinds] [--allow-empty]

        Make the kernel of the current network namespace match the manifests, without an API server:
        plan, apply in one pass, read back. Prints the trees, then every operation it ran (deletions
        first, in plain words, with the tc command). Errors and refused resources go to stderr.

        The manifests are the desired state of the bridges their BridgeNetworks name: other bridges are
        left as they are (--prune removes our trees from them). A resource that was applied and is now
        invalid keeps the floor and limits applied before. Manifests are checked against the CRD
        schemas first; nothing is changed when they fail.

        Options:
          -f, --filename FILE|DIR  a YAML/JSON file or a folder of them (required)
          --node NAME              this node (default $NODE_NAME, then the host name)
          -o, --output text|yaml   yaml: the manifests with the status the agent would write
          --prune                  also remove our trees from bridges that no BridgeNetwork names
          --skip-other-nodes       skip InterfaceBandwidths whose spec.nodeName is another node
          --skip-other-kinds       skip documents that are not BridgeNetwork/InterfaceBandwidth
          --allow-empty            accept files or folders without any manifest
          -h, --help               this help

        Exit codes: 0 applied (or nothing to change); 3 applied everything valid, some resources are
        invalid or not admitted; 5 input refused, nothing changed; 1 the kernel refused or another error.
        """;

    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static int Run(bool apply, IReadOnlyList<string> args, Func<INodeKernel> openKernel, TextWriter stdout, TextWriter stderr)
    {
        var values = new Dictionary<string, string> { ["-f"] = "-f", ["--filename"] = "-f", ["--node"] = "--node" };
        if (apply)
        {
            values["-o"] = "-o";
            values["--output"] = "-o";
        }

        if (!apply && args.Any(a => a is "-o" or "--output" || a.StartsWith("--output=", StringComparison.Ordinal)))
        {
            throw new UsageException("plan prints text only; '-o yaml' belongs to apply (the manifests with the status it wrote)");
        }

        var reader = new ArgumentReader(
            args,
            values,
            new HashSet<string> { "--prune", "--skip-other-nodes", "--skip-other-kinds", "--allow-empty" },
            apply ? "apply" : "plan");
        var path = reader.Value("-f") ?? throw new UsageException("-f FILE|DIR is required");
        var (node, nodeFrom) = reader.Value("--node") is { } n ? (n, "--node")
            : Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } env ? (env, "$NODE_NAME")
            : (System.Net.Dns.GetHostName(), "the host name");
        if (string.IsNullOrWhiteSpace(node))
        {
            throw new UsageException("--node: the node name is empty");
        }

        var output = reader.Value("-o");
        if (output is not (null or "yaml" or "text"))
        {
            throw new UsageException($"-o {output}: 'text' (the default) or 'yaml'");
        }

        ManifestSet manifests;
        try
        {
            manifests = ManifestReader.ReadPath(path);
        }
        catch (ManifestException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine("nothing was changed");
            return InputRefused;
        }

        var interfaces = manifests.Interfaces.ToList();
        if (Refuse(manifests, interfaces, node, nodeFrom, reader, stderr))
        {
            stderr.WriteLine(apply ? "nothing was changed" : "nothing was planned");
            return InputRefused;
        }

        foreach (var warning in Warnings(manifests))
        {
            stderr.WriteLine($"warning: {warning}");
        }

        var request = new NodeRequest(node, manifests.Networks, interfaces) { PruneUnnamedBridges = reader.Flag("--prune") };
        var named = manifests.Networks.Select(x => x.Spec?.Bridge).OfType<string>().ToHashSet(StringComparer.Ordinal);
        using var kernel = openKernel();
        var converger = new NodeConverger(kernel);

        if (!apply)
        {
            var plan = converger.PlanOnly(request);
            PlanPrinter.PrintTrees(stdout, plan, plan.Interfaces, plan.Bridges);
            PlanPrinter.PrintOperations(stdout, plan.Operations);
            foreach (var op in plan.Operations.Where(IsTreeDelete))
            {
                stderr.WriteLine($"note: apply would have {OperationWords.Describe(op, named)}");
            }

            var notAll = ReportRefused(plan.Interfaces, plan.Bridges, plan.NetworkIssues, stderr);
            return notAll ? NotAllAdmitted : plan.IsEmpty ? Ok : WouldChange;
        }

        var result = converger.Converge(request);
        var ran = result.Applied is { } a ? result.Plan.Operations.Take(a.Applied).ToList() : [];
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
                stdout.WriteLine($"ran {ran.Count} of {result.Plan.Operations.Count} operation(s) in {result.Applied.KernelWrites} kernel write(s):");
                foreach (var op in ran.Where(o => o.Verb == TcVerb.Delete).Concat(ran.Where(o => o.Verb != TcVerb.Delete)))
                {
                    stdout.WriteLine($"  {OperationWords.Describe(op, named)}: {TcCommand.Render(op)}");
                }
            }
        }

        // Deletions are said on stderr too: they are what a person must not miss, also with -o yaml.
        foreach (var op in ran.Where(IsTreeDelete))
        {
            stderr.WriteLine($"note: {OperationWords.Describe(op, named)}");
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
                stderr.WriteLine($"  {TcCommand.Render(op)}");
            }

            return Failed;
        }

        return ReportRefused(result.Interfaces, result.Bridges, result.Plan.NetworkIssues, stderr) ? NotAllAdmitted : Ok;
    }

    /// <summary>Input refused before the kernel is read: schema errors, skipped documents, empty input, other nodes.</summary>
    private static bool Refuse(ManifestSet manifests, List<InterfaceBandwidth> interfaces, string node, string nodeFrom, ArgumentReader reader, TextWriter stderr)
    {
        var refused = false;
        foreach (var p in manifests.Problems)
        {
            stderr.WriteLine($"error: {p}");
            refused = true;
        }

        if (manifests.Problems.Count > 0)
        {
            stderr.WriteLine($"error: {manifests.Problems.Count} field(s) refused by the CRD schemas (as kubectl apply would refuse them)");
        }

        foreach (var s in manifests.Skipped)
        {
            if (reader.Flag("--skip-other-kinds"))
            {
                stderr.WriteLine($"note: skipped {s}");
            }
            else
            {
                stderr.WriteLine($"error: {s}: only {BridgeNetwork.KubeKind} and {InterfaceBandwidth.KubeKind} of {ApiGroup.ApiVersion} are read (--skip-other-kinds skips other documents)");
                refused = true;
            }
        }

        foreach (var e in manifests.Empty)
        {
            if (reader.Flag("--allow-empty"))
            {
                stderr.WriteLine($"note: {e}");
            }
            else
            {
                stderr.WriteLine($"error: {e} (--allow-empty accepts it)");
                refused = true;
            }
        }

        var bound = interfaces.Where(i => i.Spec?.Target is not null).ToList();
        foreach (var i in bound)
        {
            var key = $"{i.Metadata?.NamespaceProperty}/{i.Metadata?.Name}";
            var target = i.Spec!.Target!;
            var why = $"InterfaceBandwidth {key}: spec.target ({target.Kind} {target.Name}, interface {target.Interface}) is resolved by the agent from the API server; offline plan/apply has none";
            if (reader.Flag("--skip-other-nodes"))
            {
                stderr.WriteLine($"note: skipped {why}");
            }
            else
            {
                stderr.WriteLine($"error: {why}: give spec.nodeName and spec.macAddress instead, or pass --skip-other-nodes to skip it");
                refused = true;
            }
        }

        interfaces.RemoveAll(bound.Contains);
        var others = interfaces.Where(i => i.Spec?.NodeName != node).ToList();
        foreach (var i in others)
        {
            var key = $"{i.Metadata?.NamespaceProperty}/{i.Metadata?.Name}";
            if (reader.Flag("--skip-other-nodes"))
            {
                stderr.WriteLine($"note: skipped InterfaceBandwidth {key}: spec.nodeName is {i.Spec?.NodeName}, not {node}");
            }
            else
            {
                stderr.WriteLine($"error: InterfaceBandwidth {key}: spec.nodeName is {i.Spec?.NodeName}, but this node is {node} (from {nodeFrom}); pass --node {i.Spec?.NodeName}, or --skip-other-nodes to skip it");
                refused = true;
            }
        }

        interfaces.RemoveAll(others.Contains);
        return refused;
    }

    /// <summary>Rates so small they are surely a missing suffix (<c>floor: 60</c> is 60 bit/s).</summary>
    private static IEnumerable<string> Warnings(ManifestSet manifests)
    {
        IEnumerable<string> Check(string who, string field, string? text) =>
            text is not null && !QuantityHints.HasBinarySuffix(text) && BitRate.TryParse(text, out var r, out _) && r.BitsPerSecond > 0 && r < QuantityHints.ImplausiblySmall
                ? [$"{who}: {field}: {text} is {r.BitsPerSecond} bit/s — rates are bits per second; did you mean {text}M ({text} Mbit/s)?"]
                : [];

        foreach (var bn in manifests.Networks)
        {
            var who = $"BridgeNetwork {bn.Metadata?.Name}";
            foreach (var w in Check(who, "spec.inbound.average", bn.Spec?.Inbound?.Average))
            {
                yield return w;
            }
        }

        foreach (var i in manifests.Interfaces)
        {
            var who = $"InterfaceBandwidth {i.Metadata?.NamespaceProperty}/{i.Metadata?.Name}";
            var fields = new (string, string?)[]
            {
                ("spec.inbound.floor", i.Spec?.Inbound?.Floor), ("spec.inbound.average", i.Spec?.Inbound?.Average), ("spec.inbound.peak", i.Spec?.Inbound?.Peak),
                ("spec.outbound.average", i.Spec?.Outbound?.Average), ("spec.outbound.peak", i.Spec?.Outbound?.Peak),
            };
            foreach (var (field, text) in fields)
            {
                foreach (var w in Check(who, field, text))
                {
                    yield return w;
                }
            }
        }
    }

    /// <summary>Prints refused or not-ready resources and network issues on stderr; true when there are any.</summary>
    /// <summary>A deletion a person must not miss: a root qdisc (a tree of the previous layout, a port limit) or one of our trees' IFB devices.</summary>
    private static bool IsTreeDelete(TcOperation o) =>
        o.Verb == TcVerb.Delete && (o.Target is Qdisc { Parent: var p } && p == TcHandle.Root || o.Target is IfbLink l && Shaping.Trees.ShapingTree.IsOurIfb(l.Device));

    private static bool ReportRefused(IReadOnlyList<InterfaceOutcome> interfaces, IReadOnlyList<BridgeOutcome> bridges, IReadOnlyList<string> networkIssues, TextWriter stderr)
    {
        var refused = interfaces.Where(i => !i.Admitted.Status || !i.Ready.Status).ToList();
        foreach (var i in refused)
        {
            stderr.WriteLine($"{i.Ref}: {(i.Admitted.Status ? i.Ready.Reason : i.Admitted.Reason)}: {(i.Admitted.Status ? i.Ready.Message : i.Admitted.Message)}");
        }

        var notReady = bridges.Where(b => !b.Ready && !refused.Any(i => i.Bridge == b.Bridge)).ToList();
        foreach (var b in notReady)
        {
            stderr.WriteLine($"BridgeNetwork {b.Network}: NOT READY: {b.Message}");
        }

        // Port overrides naming no port are already in a not-ready bridge's message; said on their own otherwise.
        var portIssues = bridges.Where(b => !notReady.Contains(b)).SelectMany(b => b.PortIssues).ToList();
        foreach (var issue in networkIssues.Concat(portIssues))
        {
            stderr.WriteLine(issue);
        }

        return refused.Count > 0 || notReady.Count > 0 || networkIssues.Count > 0 || portIssues.Count > 0;
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
