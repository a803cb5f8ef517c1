using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// Reads the HTB classes of some devices with their counters straight from the kernel (<c>tc -s class show dev D</c>,
/// one class dump per device), for <c>/metrics</c> at scrape time. It reads nothing a reconcile uses and changes no
/// cached view (docs/architecture.md, "The kernel view").
/// </summary>
public interface IClassCounterReader
{
    /// <summary>The classes on <paramref name="devices"/> and their counters; missing devices are skipped.</summary>
    TcSnapshot ReadClassCounters(IReadOnlyCollection<string> devices);
}
