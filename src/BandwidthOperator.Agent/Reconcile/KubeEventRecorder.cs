using BandwidthOperator.Agent.Kube;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>
/// Writes core v1 Events (type Warning) with this node as reporting instance. Events about
/// cluster-scoped objects go to the <c>default</c> namespace, as kubectl looks for them there.
/// A failure to record is logged and swallowed: Events are advice, not state.
/// </summary>
public sealed partial class KubeEventRecorder(KubeApi client, string nodeName, TimeProvider time, ILogger<KubeEventRecorder> logger) : IEventRecorder
{
    public const string Component = "bandwidth-operator-agent";

    public async Task WarningAsync(EventSubject subject, string reason, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var ns = subject.Namespace ?? "default";
        var now = time.GetUtcNow().UtcDateTime;
        var ev = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { GenerateName = subject.Name + ".", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = subject.ApiVersion,
                Kind = subject.Kind,
                Name = subject.Name,
                NamespaceProperty = subject.Namespace,
                Uid = subject.Uid,
            },
            Reason = reason,
            Message = message.Length > 1024 ? message[..1024] : message,
            Type = "Warning",
            Source = new V1EventSource { Component = Component, Host = nodeName },
            ReportingComponent = Component,
            ReportingInstance = nodeName,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
#pragma warning disable CA1031 // an Event that cannot be recorded must not fail the reconcile
        try
        {
            await client.CreateAsync<Corev1Event>($"api/v1/namespaces/{ns}/events", ev, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.EventFailed(logger, reason, subject.Kind, subject.Name, e);
        }
#pragma warning restore CA1031
    }
}
