namespace BandwidthOperator.Agent.Hosting;

/// <summary>The netlink port of the agent's own kernel socket (null when unknown), to ignore tc notifications of our own changes.</summary>
public sealed class OwnPortId(Func<uint?> get)
{
    public uint? Get() => get();
}
