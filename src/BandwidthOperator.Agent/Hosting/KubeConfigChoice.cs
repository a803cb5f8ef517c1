namespace BandwidthOperator.Agent.Hosting;

/// <summary>The decided configuration source, and the file for <see cref="KubeConfigSource.File"/>; <see cref="Reason"/> says why (logged at start).</summary>
public sealed record KubeConfigChoice(KubeConfigSource Source, string? Path, string Reason);
