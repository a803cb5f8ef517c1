using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// The kernel read one part at a time, so that a cache (<see cref="CachingNodeKernel"/>) asks only
/// for the parts a change touched: the devices, one bridge's forwarding database, the tc objects of
/// some devices. <see cref="NodeFactsReader"/> puts the parts together as <see cref="NodeFacts"/>.
/// </summary>
public interface IKernelParts : INodeKernel, IKernelCounters
{
    /// <summary>The netlink port of the socket the changes are made from (null: unknown), to recognise our own change notifications.</summary>
    uint? PortId { get; }

    /// <summary>The best leaf qdisc the kernel offers (probed once).</summary>
    string LeafQdiscKind { get; }

    /// <summary>Every device: <c>ip -d link show</c> (one dump).</summary>
    IReadOnlyDictionary<string, DeviceFacts> ReadDevices();

    /// <summary>MAC → port of <paramref name="bridge"/>: <c>bridge fdb show br BRIDGE</c> (one dump; ports named as of the last <see cref="ReadDevices"/>).</summary>
    IReadOnlyDictionary<MacAddress, string> ReadFdb(string bridge);

    /// <summary>
    /// The tc objects of <paramref name="devices"/> with counters: <c>tc -s qdisc show</c>, then
    /// <c>tc -s class show dev D</c> and <c>tc -s filter show dev D parent P</c> per device.
    /// </summary>
    TcSnapshot ReadTc(IReadOnlyCollection<string> devices);

    /// <summary>
    /// The kernel's version of each of <paramref name="objects"/> (qdiscs, HTB classes, u32 filters) with
    /// counters, asked for one by one in one write (what a pass just wrote, read back); those the kernel does
    /// not hold are named in <see cref="TcSnapshot.ForeignObjects"/>.
    /// </summary>
    TcSnapshot ReadObjects(IReadOnlyList<TcObject> objects);

    /// <summary>
    /// As <see cref="INodeKernel.Apply"/>, reading back as it writes: <paramref name="echoed"/> is each qdisc, class and
    /// filter added or changed as the kernel answered it (what <see cref="ReadObjects"/> would return, sent back with
    /// the acks: no second round trip), or null when this kernel cannot. With <paramref name="knownDevices"/> the device
    /// names are resolved against the last <see cref="ReadDevices"/> (the caller vouches that no link changed since)
    /// instead of a link dump.
    /// </summary>
    KernelApplyResult ApplyReadingBack(IReadOnlyList<TcOperation> operations, bool knownDevices, out TcSnapshot? echoed)
    {
        echoed = null;
        return Apply(operations);
    }
}
