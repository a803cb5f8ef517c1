using System.Globalization;
using System.Text;

namespace BandwidthOperator.Agent.Metrics;

/// <summary>
/// Renders a <see cref="MetricsSnapshot"/> in the Prometheus text exposition format 0.0.4
/// (<c># HELP</c>, <c># TYPE</c>, one sample per line, label values escaped).
/// </summary>
public static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(MetricsSnapshot snapshot, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var b = new StringBuilder();
        var node = Label("node", nodeName);

        Header(b, "bandwidth_operator_reconciles_total", "counter", "Reconciles run.");
        Sample(b, "bandwidth_operator_reconciles_total", node, snapshot.Reconciles);
        Header(b, "bandwidth_operator_reconcile_errors_total", "counter", "Reconciles that failed and were requeued.");
        Sample(b, "bandwidth_operator_reconcile_errors_total", node, snapshot.ReconcileErrors);
        Header(b, "bandwidth_operator_reconcile_duration_seconds", "summary", "Time spent reconciling.");
        Sample(b, "bandwidth_operator_reconcile_duration_seconds_sum", node, snapshot.ReconcileSeconds);
        Sample(b, "bandwidth_operator_reconcile_duration_seconds_count", node, snapshot.Reconciles);
        Header(b, "bandwidth_operator_kernel_operations_applied_total", "counter", "tc operations the kernel accepted.");
        Sample(b, "bandwidth_operator_kernel_operations_applied_total", node, snapshot.KernelOperations);
        Header(b, "bandwidth_operator_kernel_writes_total", "counter", "rtnetlink requests sent to change the kernel.");
        Sample(b, "bandwidth_operator_kernel_writes_total", node, snapshot.KernelWrites);
        Header(b, "bandwidth_operator_status_writes_total", "counter", "Status writes to the API server.");
        Sample(b, "bandwidth_operator_status_writes_total", node, snapshot.StatusWrites);

        var interfaces = snapshot.Interfaces;
        (string Name, string Type, string Help, Func<InterfaceSample, double> Value)[] perInterface =
        [
            ("bandwidth_operator_interface_floor_bits_per_second", "gauge", "Guaranteed rate (HTB rate of the interface's class in the direction's tree).", i => i.FloorBitsPerSecond),
            ("bandwidth_operator_interface_ceiling_bits_per_second", "gauge", "Ceiling (HTB ceil of the interface's class in the direction's tree).", i => i.CeilingBitsPerSecond),
            ("bandwidth_operator_interface_bytes_total", "counter", "Bytes sent through the interface's class (direction in: toward the guest, out: from it), read at scrape time.", i => i.Bytes),
            ("bandwidth_operator_interface_drops_total", "counter", "Packets dropped in the interface's class, read at scrape time.", i => i.Drops),
        ];
        foreach (var (name, type, help, value) in perInterface)
        {
            Header(b, name, type, help);
            foreach (var i in interfaces)
            {
                var labels = string.Join(',', node, Label("namespace", i.Namespace), Label("name", i.Name), Label("network", i.Network),
                    Label("bridge", i.Bridge), Label("class_id", i.ClassId.ToString(CultureInfo.InvariantCulture)), Label("direction", i.Direction));
                Sample(b, name, labels, value(i));
            }
        }

        Header(b, "bandwidth_operator_interface_floor_admitted", "gauge",
            "1 when the interface's floor has a place (Admitted=True), 0 when it is refused; the reason is the Admitted condition's.");
        foreach (var a in snapshot.Admissions ?? [])
        {
            var labels = string.Join(',', node, Label("namespace", a.Namespace), Label("name", a.Name), Label("network", a.Network), Label("reason", a.Reason));
            Sample(b, "bandwidth_operator_interface_floor_admitted", labels, a.Admitted ? 1 : 0);
        }

        Header(b, "bandwidth_operator_bridge_floor_sum_bits_per_second", "gauge", "Sum of the floors admitted on the bridge.");
        foreach (var br in snapshot.Bridges)
        {
            Sample(b, "bandwidth_operator_bridge_floor_sum_bits_per_second", BridgeLabels(node, br), br.FloorSumBitsPerSecond);
        }

        Header(b, "bandwidth_operator_bridge_capacity_bits_per_second", "gauge", "The network's inbound average that floors are carved from.");
        foreach (var br in snapshot.Bridges.Where(x => x.CapacityBitsPerSecond is not null))
        {
            Sample(b, "bandwidth_operator_bridge_capacity_bits_per_second", BridgeLabels(node, br), br.CapacityBitsPerSecond!.Value);
        }

        Header(b, "bandwidth_operator_bridge_ready", "gauge", "1 when the bridge's tree is as desired.");
        foreach (var br in snapshot.Bridges)
        {
            Sample(b, "bandwidth_operator_bridge_ready", BridgeLabels(node, br), br.Ready ? 1 : 0);
        }

        return b.ToString();
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static string BridgeLabels(string node, BridgeSample br) => string.Join(',', node, Label("network", br.Network), Label("bridge", br.Bridge));

    private static string Label(string name, string value) => $"{name}=\"{Escape(value)}\"";

    private static void Header(StringBuilder b, string name, string type, string help) =>
        b.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
         .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder b, string name, string labels, double value) =>
        b.Append(name).Append('{').Append(labels).Append("} ").Append(Format(value)).Append('\n');

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
}
