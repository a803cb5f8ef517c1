using System.Collections.Concurrent;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Resources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BandwidthOperator.Agent.Tests.Watching;

public sealed class ResourceWatcherTests : IDisposable
{
    private readonly ScriptedSource<BridgeNetwork> _source = new();
    private readonly ResourceStore<BridgeNetwork> _store = new();
    private readonly ConcurrentQueue<ResourceChange<BridgeNetwork>> _changes = new();
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));
    private readonly ResourceWatcher<BridgeNetwork> _watcher;

    public ResourceWatcherTests()
    {
        _watcher = new ResourceWatcher<BridgeNetwork>(_source, _store, _changes.Enqueue, _time, NullLogger.Instance,
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }

    private static BridgeNetwork Net(string name, string rv, string bridge = "br0") =>
        new() { Metadata = new V1ObjectMeta { Name = name, ResourceVersion = rv }, Spec = new BridgeNetworkSpec { Bridge = bridge } };

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in 10 s");
            }

            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task It_lists_then_watches_from_the_lists_resource_version()
    {
        _source.EnqueueList(new([Net("a", "5")], "10"));
        var run = _watcher.RunAsync(_cts.Token);

        await UntilAsync(() => _source.WatchedFrom.Count == 1);
        _watcher.Synced.ShouldBeTrue();
        _source.WatchedFrom.ShouldBe(["10"]);
        _store.Get("a").ShouldNotBeNull();
        _changes.Single().New!.Metadata.Name.ShouldBe("a");

        _source.Send(new WatchStep<BridgeNetwork>.Event(WatchEventType.Added, Net("b", "11")));
        _source.Send(new WatchStep<BridgeNetwork>.Event(WatchEventType.Modified, Net("a", "12", "br1")));
        _source.Send(new WatchStep<BridgeNetwork>.Event(WatchEventType.Deleted, Net("b", "13")));
        await UntilAsync(() => _changes.Count == 4);

        _store.List().Select(n => n.Spec.Bridge).ShouldBe(["br1"]);
        var modified = _changes.ElementAt(2);
        modified.Old!.Spec.Bridge.ShouldBe("br0");
        modified.New!.Spec.Bridge.ShouldBe("br1");
        _changes.Last().New.ShouldBeNull();
        _watcher.ResourceVersion.ShouldBe("13");
        await _cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_closed_watch_resumes_from_the_last_bookmark_without_listing()
    {
        _source.EnqueueList(new([], "10"));
        var run = _watcher.RunAsync(_cts.Token);
        await UntilAsync(() => _source.WatchedFrom.Count == 1);

        _source.Send(new WatchStep<BridgeNetwork>.Event(WatchEventType.Bookmark, Net(string.Empty, "42")));
        _source.Send(new WatchStep<BridgeNetwork>.Close());
        await UntilAsync(() => _source.WatchedFrom.Count == 2);

        _source.WatchedFrom.ShouldBe(["10", "42"]);
        _source.ListCalls.ShouldBe(1);
        _changes.ShouldBeEmpty();
        await _cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Gone_410_lists_again_and_reports_what_changed_meanwhile()
    {
        _source.EnqueueList(new([Net("a", "5"), Net("b", "6")], "10"));
        _source.EnqueueList(new([Net("a", "5"), Net("c", "30")], "31"));
        var run = _watcher.RunAsync(_cts.Token);
        await UntilAsync(() => _source.WatchedFrom.Count == 1);
        while (_changes.TryDequeue(out _))
        {
        }

        _source.Send(new WatchStep<BridgeNetwork>.StreamError(new KubernetesException(new V1Status { Code = 410, Reason = "Expired" })));
        await UntilAsync(() => _source.WatchedFrom.Count == 2);

        _source.ListCalls.ShouldBe(2);
        _source.WatchedFrom[1].ShouldBe("31");
        _store.List().Select(n => n.Metadata.Name).ShouldBe(["a", "c"]);
        _changes.Select(c => (c.Old?.Metadata.Name, c.New?.Metadata.Name)).ShouldBe([("b", null), (null, "c")], ignoreOrder: true);
        await _cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Other_errors_back_off_before_retrying_and_keep_the_resource_version()
    {
        _source.EnqueueList(new([], "10"));
        var run = _watcher.RunAsync(_cts.Token);
        await UntilAsync(() => _source.WatchedFrom.Count == 1);

        _source.Send(new WatchStep<BridgeNetwork>.Throw(new HttpRequestException("connection refused")));
        await Task.Delay(100);
        _source.WatchedFrom.Count.ShouldBe(1);

        // Jitter keeps the first delay within [0.5 s, 1.5 s) of the 1 s base (Polly's decorrelated jitter may go lower); 2 s is past it.
        for (var i = 0; i < 20 && _source.WatchedFrom.Count < 2; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }

        await UntilAsync(() => _source.WatchedFrom.Count == 2);
        _source.WatchedFrom.ShouldBe(["10", "10"]);
        _source.ListCalls.ShouldBe(1);
        await _cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_failing_first_list_is_retried_and_not_synced_until_it_succeeds()
    {
        _source.EnqueueListFailure(new HttpRequestException("no route"));
        _source.EnqueueList(new([Net("a", "5")], "10"));
        var run = _watcher.RunAsync(_cts.Token);
        await Task.Delay(100);
        _watcher.Synced.ShouldBeFalse();

        for (var i = 0; i < 50 && !_watcher.Synced; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }

        await UntilAsync(() => _watcher.Synced);
        _store.Count.ShouldBe(1);
        await _cts.CancelAsync();
        await run;
    }
}
