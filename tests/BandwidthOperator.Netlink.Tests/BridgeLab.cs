using BandwidthOperator.Lab.Netns;

namespace BandwidthOperator.Netlink.Tests;

/// <summary>
/// A fresh namespace with bridge <c>br0</c> (10.9.0.1/24) and one port <c>veth0</c> (peer <c>veth1</c>,
/// both up, so the bridge has carrier), and a <see cref="TcKernel"/> opened inside it.
/// </summary>
internal sealed class BridgeLab : IDisposable
{
    private BridgeLab(NetworkNamespace ns, TcKernel kernel)
    {
        Ns = ns;
        Kernel = kernel;
    }

    public NetworkNamespace Ns { get; }

    public TcKernel Kernel { get; }

    public static BridgeLab Create(string hint)
    {
        var ns = NetworkNamespace.Create(hint);
        try
        {
            ns.Ip("link", "add", "br0", "type", "bridge");
            ns.Ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1");
            ns.Ip("link", "set", "veth0", "master", "br0");
            ns.Ip("link", "set", "veth0", "up");
            ns.Ip("link", "set", "veth1", "up");
            ns.Ip("link", "set", "br0", "up");
            ns.Ip("addr", "add", "10.9.0.1/24", "dev", "br0");
            return new BridgeLab(ns, TcKernel.Open(ns.Path));
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    public string Tc(params string[] args) => Ns.Tc(args);

    public void Dispose()
    {
        Kernel.Dispose();
        Ns.Dispose();
    }
}
