using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Lab.Traffic;
using BandwidthOperator.Testing.Topology;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>
/// A bridge topology in network namespaces plus the real command line run in-process against the
/// host namespace's kernel (the same as `ip netns exec HOST bandwidth-operator …`).
/// </summary>
internal sealed class CliFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bwo-e2e-").FullName;

    public CliFixture(int guests, string hint, bool l2 = false)
    {
        Topology = l2 ? BridgeTopology.CreateL2(guests, hint) : BridgeTopology.Create(guests, hint);
    }

    public BridgeTopology Topology { get; }

    /// <summary>A folder for this test's manifest files, removed with the fixture.</summary>
    public string Dir => _dir;

    /// <summary>
    /// What a user would see change: every qdisc in the host namespace, and the classes and filters of
    /// the bridge (no counters).
    /// </summary>
    /// <summary>Every qdisc, and the classes and filters of br0's trees (its inbound and outbound IFBs, when they exist) and of br0.</summary>
    public string KernelState() =>
        Topology.Host.Tc("qdisc", "show") + Topology.Host.Tc("class", "show", "dev", BridgeTopology.BridgeName)
        + string.Concat(new[] { Tree, Topology.TreeDevice("out") }.Select(d =>
        {
            var classes = Topology.Host.TryExec("tc", "class", "show", "dev", d);
            var filters = Topology.Host.TryExec("tc", "filter", "show", "dev", d);
            return classes.ExitCode == 0 ? classes.Stdout + filters.Stdout : string.Empty;
        }));

    public CliRun Run(params string[] args) => RunWith(() => NetlinkNodeKernel.Open(Topology.Host.Path), args);

    /// <summary>The command line with a kernel of the test's choosing (e.g. one that changes the node in the middle of a pass).</summary>
    public static CliRun RunWith(Func<INodeKernel> openKernel, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr, openKernel);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public CliRun Apply(ManifestBuilder manifests, params string[] extra) =>
        Run(["apply", "-f", manifests.Write(_dir), "--node", ManifestBuilder.Node, .. extra]);

    public CliRun ApplyWith(Func<INodeKernel> openKernel, ManifestBuilder manifests) =>
        RunWith(openKernel, "apply", "-f", manifests.Write(_dir), "--node", ManifestBuilder.Node);

    /// <summary>
    /// Makes the bridge learn <paramref name="guest"/>'s MAC (an echo from the guest to the bridge's
    /// address) and waits until its forwarding database has it: `bridge fdb show br br0`.
    /// </summary>
    public void TeachFdb(BridgeGuest guest)
    {
        var mac = guest.Mac.ToString();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Fdb().Contains(mac, StringComparison.OrdinalIgnoreCase))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the bridge did not learn {mac}:\n{Fdb()}");
            }

            IcmpEcho.PingAsync(guest.Namespace, BridgeTopology.BridgeIPv4, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
        }
    }

    /// <summary>Removes what the bridge learned about <paramref name="guest"/>'s MAC: `bridge fdb del MAC dev PORT master`.</summary>
    public void ForgetFdb(BridgeGuest guest) =>
        Topology.Host.TryExec("bridge", "fdb", "del", guest.Mac.ToString(), "dev", guest.HostPort, "master");

    public string Fdb() => Topology.Host.Exec("bridge", "fdb", "show", "br", BridgeTopology.BridgeName);

    public CliRun Plan(ManifestBuilder manifests) =>
        Run("plan", "-f", manifests.Write(_dir), "--node", ManifestBuilder.Node);

    /// <summary>The device carrying br0's inbound tree (its IFB, <see cref="BridgeTopology.TreeDevice"/>).</summary>
    public string Tree => Topology.TreeDevice();

    /// <summary><c>tc -s class show dev DEVICE</c> in the host namespace; by default br0's inbound tree.</summary>
    public string Classes(string? device = null) => Topology.Host.Tc("-s", "class", "show", "dev", device ?? Tree);

    public string Filters(string? device = null) => Topology.Host.Tc("filter", "show", "dev", device ?? Tree);

    /// <summary><c>tc qdisc show dev DEVICE</c>; by default br0's inbound tree, empty while that IFB does not exist.</summary>
    public string Qdiscs(string? device = null)
    {
        var (code, stdout, _) = Topology.Host.TryExec("tc", "qdisc", "show", "dev", device ?? Tree);
        return code == 0 ? stdout : string.Empty;
    }

    /// <summary>Bytes counted by a class, read with tc (<see cref="TcClassCounters"/>).</summary>
    public long ClassBytes(string classId, string? device = null) =>
        TcClassCounters.Read(Topology.Host, device ?? Tree).TryGetValue(classId, out var c)
            ? c.Bytes
            : throw new InvalidOperationException($"class {classId} is not on {device ?? Tree}:\n{Classes(device)}");

    public void Dispose()
    {
        Topology.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
