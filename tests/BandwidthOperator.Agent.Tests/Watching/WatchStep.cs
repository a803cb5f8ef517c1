using k8s;

namespace BandwidthOperator.Agent.Tests.Watching;

/// <summary>What a scripted watch does next.</summary>
internal abstract record WatchStep<T>
{
    public sealed record Event(WatchEventType Type, T Object) : WatchStep<T>;

    public sealed record Close : WatchStep<T>;

    public sealed record StreamError(Exception Error) : WatchStep<T>;

    public sealed record Throw(Exception Error) : WatchStep<T>;
}
