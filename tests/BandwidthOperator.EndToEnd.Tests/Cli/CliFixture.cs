using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Lab.Topology;
using BandwidthOperator.Testing.Topology;

namespace BandwidthOperator.EndToEnd.Tests.Cli;

/// <summary>
/// A bridge topology in network namespaces plus the real command line run in-process against the
/// host namespace's kernel (the same as `ip netns exec HOST bandwidth-operator …`).
/// </summary>
internal sealed class CliFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bwo-e2e-").FullName;

    public CliFixture(int guests, string hint)
    {
        Topology = BridgeTopology.Create(guests, hint);
    }

    public BridgeTopology Topology { get; }

    /// <summary>A folder for this test's manifest files, removed with the fixture.</summary>
    public string Dir => _dir;

    /// <summary>
    /// What a user would see change: every qdisc in the host namespace, and the classes and filters of
    /// the bridge (no counters).
    /// </summary>
    public string KernelState() =>
        Topology.Host.Tc("qdisc", "show") + Topology.Host.Tc("class", "show", "dev", BridgeTopology.BridgeName) + Filters();

    public CliRun Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr, () => NetlinkNodeKernel.Open(Topology.Host.Path));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public CliRun Apply(ManifestBuilder manifests, params string[] extra) =>
        Run(["apply", "-f", manifests.Write(_dir), "--node", ManifestBuilder.Node, .. extra]);

    public CliRun Plan(ManifestBuilder manifests) =>
        Run("plan", "-f", manifests.Write(_dir), "--node", ManifestBuilder.Node);

    /// <summary><c>tc -s class show dev br0</c> in the host namespace.</summary>
    public string Classes(string bridge = BridgeTopology.BridgeName) => Topology.Host.Tc("-s", "class", "show", "dev", bridge);

    public string Filters(string bridge = BridgeTopology.BridgeName) => Topology.Host.Tc("filter", "show", "dev", bridge);

    public string Qdiscs(string device = BridgeTopology.BridgeName) => Topology.Host.Tc("qdisc", "show", "dev", device);

    /// <summary>Bytes counted by a class, read with tc (<see cref="TcClassCounters"/>).</summary>
    public long ClassBytes(string classId, string bridge = BridgeTopology.BridgeName) =>
        TcClassCounters.Read(Topology.Host, bridge).TryGetValue(classId, out var c)
            ? c.Bytes
            : throw new InvalidOperationException($"class {classId} is not on {bridge}:\n{Classes(bridge)}");

    public void Dispose()
    {
        Topology.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
