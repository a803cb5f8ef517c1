using System.Net;
using k8s;
using k8s.Autorest;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>Labels the planner needs from objects the agent does not watch: its Node's and namespaces'.</summary>
public sealed class ClusterLookup(IKubernetes client) : IClusterLookup
{
    public async Task<IReadOnlyDictionary<string, string>?> NodeLabelsAsync(string nodeName, CancellationToken cancellationToken)
    {
        try
        {
            var node = await client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
            return node.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>();
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyDictionary<string, string>?> NamespaceLabelsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var ns = await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ns.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>();
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
