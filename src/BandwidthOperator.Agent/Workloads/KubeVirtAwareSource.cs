using System.Net;
using BandwidthOperator.Agent.Watching;
using k8s;
using k8s.Autorest;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// A VirtualMachineInstance source that tells <see cref="KubeVirtPresence"/> what each LIST found: a 404
/// is "KubeVirt is not installed" (then rethrown, so the watcher backs off and lists again until the
/// CRD appears); an answer is "installed".
/// </summary>
public sealed class KubeVirtAwareSource(IResourceSource<VirtualMachineInstance> inner, KubeVirtPresence presence, Action<bool> changed)
    : IResourceSource<VirtualMachineInstance>
{
    public string Kind => inner.Kind;

    public async Task<ResourceList<VirtualMachineInstance>> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = await inner.ListAsync(cancellationToken).ConfigureAwait(false);
            if (presence.Set(true))
            {
                changed(true);
            }

            return list;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            if (presence.Set(false))
            {
                changed(false);
            }

            throw new KindNotServedException("kubevirt.io/v1 virtualmachineinstances is not served (404): KubeVirt is not installed; listing again with backoff", e);
        }
    }

    public IAsyncEnumerable<(WatchEventType Type, VirtualMachineInstance Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        inner.WatchAsync(resourceVersion, onError, cancellationToken);
}
