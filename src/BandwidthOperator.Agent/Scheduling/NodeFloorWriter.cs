using System.Net;
using BandwidthOperator.Api.Quantities;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>
/// Keeps this node's floor resources (<see cref="FloorCapacity"/>) on its Node by a JSON patch of
/// <c>nodes/NAME/status</c> (<see cref="NodeFloorPatch"/>), only when they differ. A 422 (a resource
/// removed or a map replaced under us by someone else) or a transient failure is retried with the Node
/// read again, by one jittered Polly pipeline.
/// </summary>
public sealed partial class NodeFloorWriter
{
    private readonly IKubernetes _client;
    private readonly string _node;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private int _writes;

    public NodeFloorWriter(IKubernetes client, string nodeName, TimeProvider time, ILogger<NodeFloorWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _node = nodeName;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpOperationException>(e => e.Response?.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict
                        or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
                    .Handle<HttpRequestException>(),
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(2),
            })
            .Build();
    }

    /// <summary>Patches made; for tests.</summary>
    public int Writes => _writes;

    /// <summary>Makes the Node carry exactly <paramref name="desired"/> of our resources. <paramref name="node"/>: as just read (null: not found, nothing to do).</summary>
    public async Task SyncAsync(V1Node? node, IReadOnlyDictionary<string, BitRate> desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (node is null)
        {
            return;
        }

        var first = true;
        await _pipeline.ExecuteAsync(async ct =>
        {
            var current = first ? node : await _client.CoreV1.ReadNodeAsync(_node, cancellationToken: ct).ConfigureAwait(false);
            first = false;
            var ops = NodeFloorPatch.Build(Map(current.Status?.Capacity), Map(current.Status?.Allocatable), desired);
            if (ops.Count == 0)
            {
                return;
            }

            await _client.CoreV1.PatchNodeStatusAsync(new V1Patch(ops.ToJsonString(), V1Patch.PatchType.JsonPatch), _node, cancellationToken: ct).ConfigureAwait(false);
            Interlocked.Increment(ref _writes);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var resources = string.Join(", ", desired.Select(kv => $"{kv.Key}={kv.Value}"));
                Log.Patched(_logger, _node, resources, ops.Count);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string>? Map(IDictionary<string, ResourceQuantity>? map) =>
        map?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
}
