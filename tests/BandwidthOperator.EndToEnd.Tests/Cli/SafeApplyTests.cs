using System.Text.RegularExpressions;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Lab.Topology;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>
/// Offline plan/apply at a node's shell: input that is surely a mistake is refused before the kernel is
/// touched (exit 5), the manifests change only the bridges they name, every operation run is listed
/// (deletions first, in plain words), and an invalid edit keeps what was applied. The inputs are the
/// ones a new user tried (issue "A CLI a person can trust at a node's shell").
/// </summary>
[Collection(TrafficCollection.Name)]
public sealed partial class SafeApplyTests : IDisposable
{
    private static readonly MacAddress Other = MacAddress.Parse("52:54:00:aa:bb:cc");
    private readonly CliFixture _f = new(2, "safe");

    public void Dispose() => _f.Dispose();

    private BridgeGuest A => _f.Topology.Guests[0];

    /// <summary>A network on br0, vm-a with a 60M floor and a 90M limit on its port (a TBF).</summary>
    private ManifestBuilder Good() =>
        new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-a", "tenant-net", A.Mac, floor: "60M", inAverage: "90M", device: A.HostPort);

    private string Applied()
    {
        var run = _f.Apply(Good());
        run.ExitCode.ShouldBe(0, run.ToString());
        var state = _f.KernelState();
        state.ShouldContain("rate 60Mbit ceil 90Mbit"); // the floor and the limit, in one class of br0's inbound tree
        return state;
    }

    private string Write(string yaml, string name = "m.yaml")
    {
        var path = Path.Combine(_f.Dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [RootFact]
    public void Forgetting_node_refuses_and_changes_nothing()
    {
        var before = Applied();
        var path = Good().Write(_f.Dir);

        var run = _f.Run("apply", "-f", path);

        run.ExitCode.ShouldBe(5, run.ToString());
        run.Stderr.ShouldContain("error: InterfaceBandwidth e2e/vm-a: spec.nodeName is node-e2e, but this node is ", Case.Sensitive, run.ToString());
        run.Stderr.ShouldContain("pass --node node-e2e, or --skip-other-nodes to skip it");
        run.Stderr.ShouldContain("nothing was changed");
        _f.KernelState().ShouldBe(before);
    }

    [RootFact]
    public void Skipping_other_nodes_is_explicit_and_says_what_it_removes()
    {
        Applied();
        var path = Good().Write(_f.Dir);

        var run = _f.Run("apply", "-f", path, "--node", "vm", "--skip-other-nodes");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stderr.ShouldContain("note: skipped InterfaceBandwidth e2e/vm-a: spec.nodeName is node-e2e, not vm");
        run.Stdout.ShouldContain($"deleted class 1:3 on {_f.Tree}");
    }

    [RootFact]
    public void A_target_bound_resource_is_refused_offline_saying_only_the_agent_resolves_it()
    {
        var before = Applied();
        var yaml = Good() + """
            ---
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: InterfaceBandwidth
            metadata:
              name: vm-b-net1
              namespace: e2e
            spec:
              network: tenant-net
              target: {kind: VirtualMachineInstance, name: vm-b, interface: net1}
              inbound: {floor: 10M}
            """;

        var run = _f.Run("apply", "-f", Write(yaml), "--node", ManifestBuilder.Node);

        run.ExitCode.ShouldBe(5, run.ToString());
        run.Stderr.ShouldContain("error: InterfaceBandwidth e2e/vm-b-net1: spec.target (VirtualMachineInstance vm-b, interface net1) is resolved by the agent from the API server; offline plan/apply has none", Case.Sensitive, run.ToString());
        run.Stderr.ShouldContain("give spec.nodeName and spec.macAddress instead, or pass --skip-other-nodes to skip it");
        _f.KernelState().ShouldBe(before);

        var skipped = _f.Run("apply", "-f", Write(yaml), "--node", ManifestBuilder.Node, "--skip-other-nodes");
        skipped.ExitCode.ShouldBe(0, skipped.ToString());
        skipped.Stderr.ShouldContain("note: skipped InterfaceBandwidth e2e/vm-b-net1: spec.target");
    }

    [RootFact]
    public void A_typo_in_kind_refuses_and_keeps_the_tree_and_the_port_limit()
    {
        var before = Applied();
        var yaml = Good().ToString().Replace("kind: BridgeNetwork", "kind: BridgeNetworks", StringComparison.Ordinal);

        var run = _f.Run("apply", "-f", Write(yaml), "--node", ManifestBuilder.Node);

        run.ExitCode.ShouldBe(5, run.ToString());
        run.Stderr.ShouldContain("BridgeNetworks tenant-net (bandwidthoperator.io/v1alpha1): bandwidthoperator.io has no kind BridgeNetworks (did you mean BridgeNetwork?)");
        run.Stderr.ShouldContain("--skip-other-kinds");
        _f.KernelState().ShouldBe(before);
    }

    [RootFact]
    public void Other_kinds_are_refused_unless_skipped_explicitly()
    {
        var before = Applied();
        var path = Good().Raw("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated}").Write(_f.Dir);

        var refused = _f.Run("apply", "-f", path, "--node", ManifestBuilder.Node);
        refused.ExitCode.ShouldBe(5, refused.ToString());
        refused.Stderr.ShouldContain("ConfigMap unrelated (v1): only BridgeNetwork and InterfaceBandwidth of bandwidthoperator.io/v1alpha1 are read");
        _f.KernelState().ShouldBe(before);

        var skipped = _f.Run("apply", "-f", path, "--node", ManifestBuilder.Node, "--skip-other-kinds");
        skipped.ExitCode.ShouldBe(0, skipped.ToString());
        skipped.Stderr.ShouldContain("note: skipped ");
        skipped.Stdout.ShouldContain("nothing to change");
    }

    [RootTheory]
    [InlineData("file")]
    [InlineData("folder")]
    public void Empty_input_is_refused_and_changes_nothing(string what)
    {
        var before = Applied();
        var path = what == "file" ? Write(string.Empty, "empty.yaml") : Directory.CreateDirectory(Path.Combine(_f.Dir, "empty")).FullName;

        var run = _f.Run("apply", "-f", path, "--node", ManifestBuilder.Node);

        run.ExitCode.ShouldBe(5, run.ToString());
        run.Stderr.ShouldContain(what == "file" ? "empty.yaml: no manifest in this file (--allow-empty accepts it)" : "no *.yaml, *.yml or *.json file in this folder");
        _f.KernelState().ShouldBe(before);

        var allowed = _f.Run("apply", "-f", path, "--node", ManifestBuilder.Node, "--allow-empty");
        allowed.ExitCode.ShouldBe(0, allowed.ToString());
        allowed.Stdout.ShouldContain("nothing to change");
        _f.KernelState().ShouldBe(before);
    }

    [RootFact]
    public void Prune_with_empty_input_removes_every_tree_and_says_so_plainly()
    {
        Applied();
        var empty = Directory.CreateDirectory(Path.Combine(_f.Dir, "empty")).FullName;

        var run = _f.Run("apply", "-f", empty, "--node", ManifestBuilder.Node, "--allow-empty", "--prune");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain($"deleted the inbound tree on {_f.Tree} (its floors and classes): ip link del {_f.Tree}");
        run.Stdout.ShouldContain($"deleted the clsact hook on {A.HostPort}");
        run.Stderr.ShouldContain($"note: deleted the inbound tree on {_f.Tree}");
        _f.Qdiscs().ShouldNotContain("htb");
    }

    [RootFact]
    public void A_bridge_no_manifest_names_is_left_alone_unless_prune()
    {
        Applied();
        var before = Br0();
        _f.Topology.Host.Ip("link", "add", "br1", "type", "bridge");
        _f.Topology.Host.Ip("link", "set", "br1", "up");
        var other = new ManifestBuilder().Network("other-net", "br1", "1G");

        var run = _f.Apply(other);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldNotContain("br0");
        Br0().ShouldBe(before);
        _f.Classes(_f.Topology.TreeDevice("in").Replace(_f.Topology.TreeDevice("in")["bwin".Length..], BridgeIndex("br1"), StringComparison.Ordinal)).ShouldContain("class htb 1:1");

        var plan = _f.Run("plan", "-f", other.Write(_f.Dir), "--node", ManifestBuilder.Node, "--prune");
        plan.ExitCode.ShouldBe(2, plan.ToString());
        plan.Stdout.ShouldContain($"ip link del {_f.Tree}");
        plan.Stderr.ShouldContain($"note: apply would have deleted the inbound tree on {_f.Tree} (its floors and classes)");
        var pruned = _f.Apply(other, "--prune");
        pruned.ExitCode.ShouldBe(0, pruned.ToString());
        pruned.Stdout.ShouldContain($"deleted the inbound tree on {_f.Tree}");
        _f.Qdiscs().ShouldNotContain("htb");
    }

    [RootTheory]
    [InlineData("nodename: node-e2e", "spec.nodename", "unknown field")]
    [InlineData("nodeName: node-e2e\n  inbound: {flor: 40M}", "spec.inbound.flor", "unknown field")]
    public void An_unknown_field_is_refused_with_file_line_and_field(string line, string field, string message)
    {
        var before = Applied();
        var yaml = Good().ToString() + $"""
            ---
            apiVersion: bandwidthoperator.io/v1alpha1
            kind: InterfaceBandwidth
            metadata:
              name: vm-b
              namespace: e2e
            spec:
              network: tenant-net
              macAddress: "{_f.Topology.Guests[1].Mac}"
              {line}

            """;
        var path = Write(yaml);
        var lineNo = Array.FindIndex(yaml.Split('\n'), l => l.Contains(field.Split('.')[^1] + ":", StringComparison.Ordinal)) + 1;

        var run = _f.Run("apply", "-f", path, "--node", ManifestBuilder.Node);

        run.ExitCode.ShouldBe(5, run.ToString());
        run.Stderr.ShouldContain($"error: {path}:{lineNo}: InterfaceBandwidth e2e/vm-b: {field}: {message}");
        run.Stderr.ShouldContain("refused by the CRD schemas");
        _f.KernelState().ShouldBe(before);
    }

    [RootTheory]
    [InlineData("52:54:00:zz:00:01", "spec.macAddress: Invalid value: \"52:54:00:zz:00:01\"")]
    [InlineData("01:00:5e:00:00:01", "spec.macAddress: Invalid value: \"01:00:5e:00:00:01\"")]
    public void Input_the_schema_refuses_changes_nothing(string mac, string message)
    {
        var before = Applied();

        var run = _f.Apply(Good().Interface("vm-x", "tenant-net", Other, floor: "1M", rawMac: mac));

        run.ExitCode.ShouldBe(5, run.ToString());
        run.Stderr.ShouldContain(message);
        _f.KernelState().ShouldBe(before);
    }

    [RootFact]
    public void A_bridge_name_too_long_for_linux_is_refused_by_the_schema()
    {
        var before = Applied();

        var run = _f.Apply(Good().Network("long-net", "br-much-too-long-name").Interface("vm-x", "long-net", Other, floor: "5M"));

        run.ExitCode.ShouldBe(5, run.ToString());
        run.Stderr.ShouldContain("BridgeNetwork long-net: spec.bridge: Too long: may not be more than 15 bytes");
        _f.KernelState().ShouldBe(before);
    }

    [RootFact]
    public void A_file_with_only_an_interface_plans_no_deletion()
    {
        var before = Applied();
        var onlyVm = new ManifestBuilder().Interface("vm-a", "tenant-net", A.Mac, floor: "60M");

        var plan = _f.Plan(onlyVm);

        plan.ExitCode.ShouldBe(3, plan.ToString());
        plan.Stdout.ShouldNotContain(" del ");
        plan.Stderr.ShouldContain("UnknownNetwork: InterfaceBandwidth e2e/vm-a: spec.network: BridgeNetwork tenant-net does not exist");
        _f.Apply(onlyVm).ExitCode.ShouldBe(3);
        _f.KernelState().ShouldBe(before);
    }

    [RootFact]
    public void Apply_lists_the_operations_it_ran_deletions_first()
    {
        Applied();
        var withoutFloor = new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-b", "tenant-net", _f.Topology.Guests[1].Mac, floor: "10M");

        var run = _f.Apply(withoutFloor);

        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.Stdout.Split('\n');
        var header = Array.FindIndex(lines, l => RanLine().IsMatch(l));
        header.ShouldBeGreaterThan(0, run.Stdout);
        var ops = lines.Skip(header + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        ops.Count.ShouldBe(int.Parse(RanLine().Match(lines[header]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), run.Stdout);
        // vm-a's class goes (filter first), vm-b gets class 3 anew (the ID is free again): deletions listed first.
        ops.ShouldContain(l => l.StartsWith($"  deleted the filter to class 1:3 on {_f.Tree}: tc filter del dev {_f.Tree}", StringComparison.Ordinal), run.Stdout);
        ops.ShouldContain(l => l.StartsWith($"  deleted class 1:3 on {_f.Tree}", StringComparison.Ordinal) || l.StartsWith($"  changed class 1:3 on {_f.Tree}", StringComparison.Ordinal), run.Stdout);
        var lastDelete = ops.FindLastIndex(l => l.StartsWith("  deleted", StringComparison.Ordinal));
        var firstOther = ops.FindIndex(l => !l.StartsWith("  deleted", StringComparison.Ordinal));
        lastDelete.ShouldBeLessThan(firstOther, run.Stdout);
    }

    [RootFact]
    public void Plan_exit_codes_separate_match_change_invalid_resource_and_refused_input()
    {
        var fresh = _f.Plan(Good());
        fresh.ExitCode.ShouldBe(2, fresh.ToString());
        fresh.Stderr.ShouldBeEmpty();

        _f.Apply(Good()).ExitCode.ShouldBe(0);
        var same = _f.Plan(Good());
        same.ExitCode.ShouldBe(0, same.ToString());

        var invalid = _f.Plan(Good().Interface("vm-x", "tenant-net", Other, floor: "20M", inAverage: "10M"));
        invalid.ExitCode.ShouldBe(3, invalid.ToString());
        invalid.Stderr.ShouldContain("InvalidSpec: InterfaceBandwidth e2e/vm-x is invalid: spec.inbound.floor: floor 20M is above average 10M");

        var refused = _f.Plan(Good().Interface("vm-x", "tenant-net", Other, floor: "20mbit"));
        refused.ExitCode.ShouldBe(5, refused.ToString());
        refused.Stderr.ShouldContain("spec.inbound.floor: Invalid value: \"20mbit\": not a quantity; rates are Kubernetes quantities in bits per second: write 20M");
        refused.Stdout.ShouldBeEmpty();
    }

    [RootFact]
    public void Plan_for_a_bridge_that_is_not_here_is_not_a_quiet_success()
    {
        var run = _f.Plan(new ManifestBuilder().Network("gone-net", "br-nowhere").Interface("vm-x", "gone-net", Other, floor: "5M"));

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stderr.ShouldContain("BridgeMissing: bridge br-nowhere of BridgeNetwork gone-net does not exist on node node-e2e");
    }

    [RootFact]
    public void An_invalid_edit_of_an_applied_floor_keeps_the_floor_and_the_limit()
    {
        var before = Applied();

        var typo = _f.Apply(new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-a", "tenant-net", A.Mac, floor: "60mbit", inAverage: "90M", device: A.HostPort));
        typo.ExitCode.ShouldBe(5, typo.ToString());
        typo.Stderr.ShouldContain("write 60M");
        _f.KernelState().ShouldBe(before);

        var aboveAverage = _f.Apply(new ManifestBuilder()
            .Network("tenant-net", BridgeTopology.BridgeName, "100M")
            .Interface("vm-a", "tenant-net", A.Mac, floor: "95M", inAverage: "90M", device: A.HostPort), "-o", "yaml");
        aboveAverage.ExitCode.ShouldBe(3, aboveAverage.ToString());
        aboveAverage.Stderr.ShouldContain("floor 95M is above average 90M");
        aboveAverage.Stderr.ShouldContain("the floor 60M (class 1:3) applied before stay until the spec is fixed"); // its limit is the class's ceiling
        aboveAverage.Stdout.ShouldContain("reason: LastAppliedKept");
        _f.KernelState().ShouldBe(before);
    }

    private string BridgeIndex(string bridge)
    {
        var line = _f.Topology.Host.Ip("-o", "link", "show", "dev", bridge);
        return line[..line.IndexOf(':', StringComparison.Ordinal)].Trim();
    }

    /// <summary>br0's qdiscs, classes and filters, and the qdiscs on guest A's port.</summary>
    private string Br0() =>
        _f.Qdiscs() + _f.Topology.Host.Tc("class", "show", "dev", BridgeTopology.BridgeName) + _f.Filters() + _f.Qdiscs(A.HostPort);

    [GeneratedRegex(@"^ran (\d+) of \d+ operation\(s\) in \d+ kernel write\(s\):$")]
    private static partial Regex RanLine();
}
