using System.Diagnostics;
using System.Globalization;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Lab.Netns;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Benchmarks;

/// <summary>
/// What every kernel benchmark measures on: a fresh namespace with <c>br0</c> and 50 veth guest ports,
/// the request shaped on it (one 100G network, <c>count</c> interfaces with 10M floors), and the two
/// iproute2 baselines for the same operations (one <c>tc</c> process per command, as libvirt does; one
/// <c>tc -batch</c>).
/// </summary>
internal static class BenchTopology
{
    public const int GuestPorts = 50;

    public static NetworkNamespace Bridge(string hint)
    {
        var ns = NetworkNamespace.Create(hint);
        var commands = new List<string> { "link add br0 type bridge", "link set br0 up" };
        for (var p = 0; p < GuestPorts; p++)
        {
            commands.Add(string.Create(CultureInfo.InvariantCulture, $"link add vg{p} type veth peer name vp{p}"));
            commands.Add(string.Create(CultureInfo.InvariantCulture, $"link set vg{p} master br0 up"));
        }

        ns.IpBatch(commands);
        return ns;
    }

    /// <summary>Milliseconds to apply <paramref name="operations"/> on a fresh bridge with one <c>tc</c> process per command.</summary>
    public static double OneTcPerCommand(IReadOnlyList<TcOperation> operations, string hint)
    {
        using var ns = Bridge(hint);
        var sw = Stopwatch.StartNew();
        foreach (var op in operations)
        {
            if (op.Target is IfbLink ifb)
            {
                AddIfb(ns, ifb);
                continue;
            }

            var words = TcCommand.Render(op).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            HostCommand.Run("tc", ["-n", ns.Name, .. words[1..]]);
        }

        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>Milliseconds to apply <paramref name="operations"/> on a fresh bridge with one <c>tc -batch</c> (the IFBs made first by <c>ip</c>).</summary>
    public static double TcBatch(IReadOnlyList<TcOperation> operations, string hint)
    {
        using var ns = Bridge(hint);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, operations.Where(op => op.Target is not IfbLink).Select(op => TcCommand.Render(op)["tc ".Length..]));
            var sw = Stopwatch.StartNew();
            foreach (var ifb in operations.Select(op => op.Target).OfType<IfbLink>())
            {
                AddIfb(ns, ifb);
            }

            HostCommand.Run("tc", "-n", ns.Name, "-batch", file);
            return sw.Elapsed.TotalMilliseconds;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// One network of 100G on br0 and <paramref name="count"/> InterfaceBandwidths with 10M floors on node
    /// bench-node, each with a uid and resourceVersion as the API server gives them (so the engine's plan
    /// memo sees an added interface as a change of the request, not of every object).
    /// </summary>
    public static NodeRequest Request(int count) => new(
        "bench-node",
        [new BridgeNetwork
        {
            Metadata = new() { Name = "bench-net", Uid = "uid-bench-net", ResourceVersion = "1", Generation = 1 },
            Spec = new() { Bridge = "br0", Inbound = new() { Average = "100G" } },
        }],
        [.. Enumerable.Range(0, count).Select(Interface)]);

    public static InterfaceBandwidth Interface(int i) => new()
    {
        Metadata = new() { Name = Invariant($"vm-{i:D5}"), NamespaceProperty = "bench", Uid = Invariant($"uid-{i}"), ResourceVersion = Invariant($"{1000 + i}"), Generation = 1 },
        Spec = new()
        {
            Network = "bench-net",
            NodeName = "bench-node",
            MacAddress = Invariant($"52:54:00:{(i >> 16) & 0xFF:x2}:{(i >> 8) & 0xFF:x2}:{i & 0xFF:x2}"),
            Inbound = new() { Floor = "10M" },
        },
    };

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static void AddIfb(NetworkNamespace ns, IfbLink ifb)
    {
        HostCommand.Run("ip", "-n", ns.Name, "link", "add", ifb.Device, "type", "ifb");
        HostCommand.Run("ip", "-n", ns.Name, "link", "set", ifb.Device, "up");
    }
}
