using System.Collections.Concurrent;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink.Tests;

public sealed class TcMonitorTests
{
    [Fact]
    public void Monitor_reports_a_qdisc_added_and_deleted_by_someone_else()
    {
        using var lab = BridgeLab.Create("mon");
        var changes = new ConcurrentQueue<TcChange>();
        using var monitor = TcMonitor.Start(lab.Ns.Path, changes.Enqueue);

        lab.Tc("qdisc", "add", "dev", "veth0", "root", "handle", "1:", "htb");
        lab.Tc("qdisc", "del", "dev", "veth0", "root");

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && !changes.Any(c => c.Deleted))
        {
            Thread.Sleep(20);
        }

        changes.ShouldContain(c => c.Device == "veth0" && c.Type == TcObjectType.Qdisc && !c.Deleted);
        changes.ShouldContain(c => c.Device == "veth0" && c.Type == TcObjectType.Qdisc && c.Deleted);
    }
}
