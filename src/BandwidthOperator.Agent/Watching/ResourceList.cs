namespace BandwidthOperator.Agent.Watching;

/// <summary>A LIST answer: the items and the list's resourceVersion to watch from.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string? ResourceVersion);
