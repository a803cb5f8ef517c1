namespace BandwidthOperator.Agent.Reconcile;

/// <summary>The object an Event is about.</summary>
public sealed record EventSubject(string ApiVersion, string Kind, string? Namespace, string Name, string? Uid);
