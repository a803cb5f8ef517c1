namespace BandwidthOperator.Agent.Health;

/// <summary>What /healthz and /readyz report: live while the agent's loops run; ready once both kinds were listed.</summary>
public sealed class AgentHealth
{
    private volatile bool _ready;
    private volatile string? _failure;

    public bool Ready => _ready && _failure is null;

    public bool Live => _failure is null;

    public string? Failure => _failure;

    public void MarkReady() => _ready = true;

    /// <summary>A loop that must not end has ended: liveness fails and the kubelet restarts the pod.</summary>
    public void MarkFailed(string reason) => _failure = reason;
}
