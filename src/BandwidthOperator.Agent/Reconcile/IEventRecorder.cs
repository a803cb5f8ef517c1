namespace BandwidthOperator.Agent.Reconcile;

/// <summary>Records Kubernetes Events about our objects; never throws.</summary>
public interface IEventRecorder
{
    Task WarningAsync(EventSubject subject, string reason, string message, CancellationToken cancellationToken);
}
