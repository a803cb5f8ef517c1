using System.Net;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Agent.Status;
using BandwidthOperator.Api.Quantities;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Polly;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>
/// Keeps this node's floor resources (<see cref="FloorCapacity"/>) on its Node by a JSON patch of
/// <c>nodes/NAME/status</c> (<see cref="NodeFloorPatch"/>), only when they differ. A 422 (a resource
/// removed or a map replaced under us by someone else) or a transient failure is retried with the Node
/// taken again from the agent's watch of it (no GET), by one jittered Polly pipeline (<see cref="ApiRetry"/>).
/// </summary>
public sealed partial class NodeFloorWriter
{
    private readonly KubeApi _client;
    private readonly string _node;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private int _writes;

    public NodeFloorWriter(KubeApi client, string nodeName, TimeProvider time, ILogger<NodeFloorWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _node = nodeName;
        _logger = logger;
        _pipeline = ApiRetry.Pipeline(time, ApiRetry.TransientAnd(HttpStatusCode.UnprocessableEntity), maxRetryAttempts: 4);
    }

    /// <summary>Patches made; for tests.</summary>
    public int Writes => _writes;

    /// <summary>
    /// Makes the Node carry exactly <paramref name="desired"/> of our resources. <paramref name="node"/>: the
    /// Node as the agent's cache holds it now (null: not found, nothing to do), asked again before a retry.
    /// Returns the Node as stored after a patch (for the cache), or null when nothing was written.
    /// </summary>
    public async Task<V1Node?> SyncAsync(Func<V1Node?> node, IReadOnlyDictionary<string, BitRate> desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(desired);
        return await _pipeline.ExecuteAsync(async ct =>
        {
            if (node() is not { } current)
            {
                return null;
            }

            var ops = NodeFloorPatch.Build(Map(current.Status?.Capacity), Map(current.Status?.Allocatable), desired);
            if (ops.Count == 0)
            {
                return null;
            }

            var stored = await _client.PatchAsync<V1Node>($"api/v1/nodes/{_node}/status", ops.ToJsonString(), KubeApi.JsonPatch, ct).ConfigureAwait(false);
            Interlocked.Increment(ref _writes);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var resources = string.Join(", ", desired.Select(kv => $"{kv.Key}={kv.Value}"));
                Log.Patched(_logger, _node, resources, ops.Count);
            }

            return stored;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string>? Map(IDictionary<string, ResourceQuantity>? map) =>
        map?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
}
