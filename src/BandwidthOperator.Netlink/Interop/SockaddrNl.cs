using System.Runtime.InteropServices;

namespace BandwidthOperator.Netlink.Interop;

/// <summary><c>struct sockaddr_nl</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    public ushort Family;
    public ushort Pad;
    public uint PortId;
    public uint Groups;
}
