namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// Whether the cluster serves kubevirt.io/v1 VirtualMachineInstances, as the last LIST said: a 404
/// (recorded exchange 89) means KubeVirt is not installed; the watchers keep listing with backoff and
/// a later success (after 91) flips it. Unknown until the first answer.
/// </summary>
public sealed class KubeVirtPresence
{
    private volatile int _state; // 0 unknown, 1 installed, 2 not installed

    public bool Known => _state != 0;

    public bool Installed => _state == 1;

    public bool NotInstalled => _state == 2;

    /// <summary>Records the answer; true when it changed what is known.</summary>
    public bool Set(bool installed) => Interlocked.Exchange(ref _state, installed ? 1 : 2) != (installed ? 1 : 2);
}
