using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Polly;
using Polly.Retry;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>
/// Labels the planner needs from objects the agent does not watch: its Node's and namespaces'.
/// Transient failures (429, 5xx, connection) are retried with jittered backoff; a missing object is null.
/// </summary>
public sealed class ClusterLookup : IClusterLookup
{
    private readonly IKubernetes _client;
    private readonly ResiliencePipeline _retry;

    public ClusterLookup(IKubernetes client, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        _client = client;
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpOperationException>(e => e.Response?.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
                    .Handle<HttpRequestException>(),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
            })
            .Build();
    }

    public async Task<V1Node?> NodeAsync(string nodeName, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync(async ct => await _client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<IReadOnlyDictionary<string, string>?> NodeLabelsAsync(string nodeName, CancellationToken cancellationToken) =>
        LabelsAsync(async ct => (await _client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: ct).ConfigureAwait(false)).Metadata?.Labels, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>?> NamespaceLabelsAsync(string name, CancellationToken cancellationToken) =>
        LabelsAsync(async ct => (await _client.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct).ConfigureAwait(false)).Metadata?.Labels, cancellationToken);

    private async Task<IReadOnlyDictionary<string, string>?> LabelsAsync(Func<CancellationToken, Task<IDictionary<string, string>?>> read, CancellationToken cancellationToken)
    {
        try
        {
            var labels = await _retry.ExecuteAsync(async ct => await read(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
