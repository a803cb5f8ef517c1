namespace BandwidthOperator.Agent.Hosting;

/// <summary>The agent's settings, section <c>Agent</c> (environment: <c>Agent__ResyncPeriod</c>, <c>Agent__HealthPort</c>, …).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>How often every bridge is reconciled even without events (drift repair).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Port of /healthz and /readyz, served on 127.0.0.1 only; 0 turns the endpoint off.</summary>
    public int HealthPort { get; set; } = 13080;

    /// <summary>First delay before a failed bridge is retried; doubles per failure up to <see cref="RequeueMaxDelay"/>.</summary>
    public TimeSpan RequeueBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RequeueMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest wait between LISTs of VirtualMachineInstances while KubeVirt is not installed (how soon its arrival is noticed).</summary>
    public TimeSpan KubeVirtRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>
    /// Plan the whole node for every work-queue key, as the agent did before reconciles were scoped to one
    /// bridge (a resync with N bridges then runs N whole-node passes). For measurements only (the resync
    /// benchmark's baseline); off by default.
    /// </summary>
    public bool WholeNodeReconcile { get; set; }
}
