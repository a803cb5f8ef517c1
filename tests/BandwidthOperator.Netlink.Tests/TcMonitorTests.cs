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

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !changes.Any(c => c.Deleted))
        {
            Thread.Sleep(20);
        }

        changes.ShouldContain(c => c.Device == "veth0" && c.Type == TcObjectType.Qdisc && !c.Deleted);
        changes.ShouldContain(c => c.Device == "veth0" && c.Type == TcObjectType.Qdisc && c.Deleted);
    }

    [Fact]
    public void A_failing_handler_is_reported_and_the_monitor_keeps_going()
    {
        using var lab = BridgeLab.Create("monerr");
        var errors = new ConcurrentQueue<Exception>();
        var calls = 0;
        using var monitor = TcMonitor.Start(
            lab.Ns.Path,
            _ =>
            {
                Interlocked.Increment(ref calls);
                throw new InvalidOperationException("handler failed");
            },
            errors.Enqueue);

        lab.Tc("qdisc", "add", "dev", "veth0", "root", "handle", "1:", "htb");
        lab.Tc("qdisc", "del", "dev", "veth0", "root");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && Volatile.Read(ref calls) < 2)
        {
            Thread.Sleep(20);
        }

        Volatile.Read(ref calls).ShouldBeGreaterThanOrEqualTo(2);
        errors.ShouldAllBe(e => e.Message == "handler failed");
    }

    [Fact]
    public void Changes_made_by_the_agent_carry_its_port_id()
    {
        using var lab = BridgeLab.Create("monpid");
        var changes = new ConcurrentQueue<TcChange>();
        using var monitor = TcMonitor.Start(lab.Ns.Path, changes.Enqueue);
        var q = new Qdisc("veth0", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2));

        lab.Kernel.Apply([new TcOperation(TcVerb.Add, q)]).ThrowIfFailed();
        lab.Tc("qdisc", "del", "dev", "veth0", "root");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !changes.Any(c => c.Deleted))
        {
            Thread.Sleep(20);
        }

        lab.Kernel.PortId.ShouldNotBe(0u);
        changes.ShouldContain(c => c.Device == "veth0" && !c.Deleted && c.SenderPortId == lab.Kernel.PortId);
        changes.ShouldContain(c => c.Device == "veth0" && c.Deleted && c.SenderPortId != lab.Kernel.PortId);
    }
}
