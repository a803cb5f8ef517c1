using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BandwidthOperator.Agent.Watching;
using k8s;

namespace BandwidthOperator.Agent.Tests.Watching;

/// <summary>A fake LIST/WATCH: lists answer from a queue of results; each watch reads a channel the test writes to.</summary>
internal sealed class ScriptedSource<T> : IResourceSource<T>
{
    private readonly Queue<Func<ResourceList<T>>> _lists = new();
    private Channel<WatchStep<T>> _watch = Channel.CreateUnbounded<WatchStep<T>>();

    public string Kind => typeof(T).Name;

    public List<string> WatchedFrom { get; } = [];

    public int ListCalls { get; private set; }

    public void EnqueueList(ResourceList<T> list) => _lists.Enqueue(() => list);

    public void EnqueueListFailure(Exception e) => _lists.Enqueue(() => throw e);

    /// <summary>The next step of the current watch.</summary>
    public void Send(WatchStep<T> step) => _watch.Writer.TryWrite(step);

    public Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken)
    {
        ListCalls++;
        return _lists.TryDequeue(out var next) ? Task.FromResult(next()) : throw new InvalidOperationException("no list scripted");
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (WatchedFrom)
        {
            WatchedFrom.Add(resourceVersion);
        }

        var channel = _watch;
        while (true)
        {
            var step = await channel.Reader.ReadAsync(cancellationToken);
            switch (step)
            {
                case WatchStep<T>.Event e:
                    yield return (e.Type, e.Object);
                    break;
                case WatchStep<T>.Close:
                    yield break;
                case WatchStep<T>.StreamError s:
                    onError(s.Error);
                    yield break;
                case WatchStep<T>.Throw t:
                    throw t.Error;
            }
        }
    }
}
