using BandwidthOperator.Agent.Engine;

namespace BandwidthOperator;

/// <summary>Opens the kernel of the namespace the command runs in.</summary>
internal static class KernelFactory
{
    public static INodeKernel Open() => NetlinkNodeKernel.Open();
}
