using BandwidthOperator.Agent.Metrics;

namespace BandwidthOperator.Agent.Tests.Metrics;

public sealed class PrometheusTextWriterTests
{
    private static MetricsSnapshot Snapshot() => new(
        Reconciles: 4, ReconcileErrors: 1, ReconcileSeconds: 0.25, KernelOperations: 12, KernelWrites: 9, StatusWrites: 3,
        Interfaces:
        [
            new InterfaceSample("tenant-a", "vm-a-net1", "tenant-net", "br0", 3, 100_000_000, 1_000_000_000, 123456, 7) { Device = "bwin7" },
            new InterfaceSample("tenant-a", "vm-a-net1", "tenant-net", "br0", 5, 20_000_000, 500_000_000, 6543, 0) { Direction = "out", Device = "bwout7" },
        ],
        Bridges: [new BridgeSample("tenant-net", "br0", 100_000_000, 1_000_000_000, 1, true)],
        Admissions: [new AdmissionSample("tenant-a", "vm-a-net1", "tenant-net", true, "FloorAdmitted"), new AdmissionSample("tenant-a", "vm-b-net1", "tenant-net", false, "FloorOvercommitted")]);

    [Fact]
    public void Every_family_has_help_and_type_and_samples_carry_labels()
    {
        var text = PrometheusTextWriter.Write(Snapshot(), "node-a");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.ShouldContain("# TYPE bandwidth_operator_reconciles_total counter");
        lines.ShouldContain("bandwidth_operator_reconciles_total{node=\"node-a\"} 4");
        lines.ShouldContain("bandwidth_operator_reconcile_duration_seconds_sum{node=\"node-a\"} 0.25");
        lines.ShouldContain("bandwidth_operator_reconcile_duration_seconds_count{node=\"node-a\"} 4");
        lines.ShouldContain("bandwidth_operator_kernel_operations_applied_total{node=\"node-a\"} 12");
        lines.ShouldContain(
            "bandwidth_operator_interface_floor_bits_per_second{node=\"node-a\",namespace=\"tenant-a\",name=\"vm-a-net1\",network=\"tenant-net\",bridge=\"br0\",class_id=\"3\",direction=\"in\"} 100000000");
        lines.ShouldContain(
            "bandwidth_operator_interface_bytes_total{node=\"node-a\",namespace=\"tenant-a\",name=\"vm-a-net1\",network=\"tenant-net\",bridge=\"br0\",class_id=\"5\",direction=\"out\"} 6543");
        lines.ShouldContain(l => l.StartsWith("bandwidth_operator_interface_ceiling_bits_per_second{", StringComparison.Ordinal) && l.EndsWith("} 1000000000", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("bandwidth_operator_interface_bytes_total{", StringComparison.Ordinal) && l.EndsWith("} 123456", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("bandwidth_operator_interface_drops_total{", StringComparison.Ordinal) && l.EndsWith("} 7", StringComparison.Ordinal));
        lines.ShouldContain("bandwidth_operator_bridge_floor_sum_bits_per_second{node=\"node-a\",network=\"tenant-net\",bridge=\"br0\"} 100000000");
        lines.ShouldContain("bandwidth_operator_bridge_capacity_bits_per_second{node=\"node-a\",network=\"tenant-net\",bridge=\"br0\"} 1000000000");
        lines.ShouldContain("# TYPE bandwidth_operator_interface_floor_admitted gauge");
        lines.ShouldContain("bandwidth_operator_interface_floor_admitted{node=\"node-a\",namespace=\"tenant-a\",name=\"vm-a-net1\",network=\"tenant-net\",reason=\"FloorAdmitted\"} 1");
        lines.ShouldContain("bandwidth_operator_interface_floor_admitted{node=\"node-a\",namespace=\"tenant-a\",name=\"vm-b-net1\",network=\"tenant-net\",reason=\"FloorOvercommitted\"} 0");
    }

    [Fact]
    public void The_text_follows_the_exposition_format()
    {
        var text = PrometheusTextWriter.Write(Snapshot(), "node-a");
        text.ShouldEndWith("\n");
        text.ShouldNotContain("\r");
        var families = new HashSet<string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                families.Add(line.Split(' ')[2]).ShouldBeTrue($"family declared twice: {line}");
                continue;
            }

            if (line.StartsWith('#'))
            {
                line.ShouldStartWith("# HELP ");
                continue;
            }

            line.ShouldMatch("""^[a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\} [-+0-9.eE]+(Inf|NaN)?$""");
            var name = line[..line.IndexOf('{', StringComparison.Ordinal)];
            families.ShouldContain(f => name == f || name.StartsWith(f + "_", StringComparison.Ordinal), $"sample before its TYPE: {line}");
        }
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        PrometheusTextWriter.Escape("a\"b\\c\nd").ShouldBe("a\\\"b\\\\c\\nd");
    }

    [Fact]
    public void No_interfaces_still_declares_the_families()
    {
        var text = PrometheusTextWriter.Write(new MetricsSnapshot(0, 0, 0, 0, 0, 0, [], []), "n");
        text.ShouldContain("# TYPE bandwidth_operator_interface_floor_bits_per_second gauge");
        text.ShouldContain("bandwidth_operator_reconciles_total{node=\"n\"} 0");
    }
}
