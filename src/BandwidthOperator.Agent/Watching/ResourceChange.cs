namespace BandwidthOperator.Agent.Watching;

/// <summary>One change the cache saw: <see cref="Old"/> null when added, <see cref="New"/> null when deleted.</summary>
public sealed record ResourceChange<T>(T? Old, T? New)
    where T : class;
