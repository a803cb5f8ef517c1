using System.Diagnostics;
using System.Globalization;
using BandwidthOperator.Lab.Netns;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Benchmarks;

/// <summary>
/// What every kernel benchmark measures on: a fresh namespace with <c>br0</c> and 50 veth guest ports,
/// and the two iproute2 baselines for the same operations (one <c>tc</c> process per command, as libvirt
/// does; one <c>tc -batch</c>).
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

    private static void AddIfb(NetworkNamespace ns, IfbLink ifb)
    {
        HostCommand.Run("ip", "-n", ns.Name, "link", "add", ifb.Device, "type", "ifb");
        HostCommand.Run("ip", "-n", ns.Name, "link", "set", ifb.Device, "up");
    }
}
