using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BandwidthOperator.Agent.Kube;
using BandwidthOperator.Api.Resources;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using Polly;

namespace BandwidthOperator.Agent.Status;

/// <summary>
/// Writes statuses through the <c>/status</c> subresource: InterfaceBandwidth by merge patch with a
/// resourceVersion precondition (on 409 the object is read again and the status rebuilt from it),
/// this node's BridgeNetwork entry by server-side apply with the field manager
/// <c>bandwidth-operator-NODE</c> and force. Transient failures (409, 429, 5xx, connection) are
/// retried with jittered backoff by one Polly pipeline (<see cref="ApiRetry"/>).
/// </summary>
public sealed partial class StatusWriter
{
    private readonly KubeApi _client;
    private readonly string _fieldManager;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public StatusWriter(KubeApi client, string nodeName, TimeProvider time, ILogger<StatusWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _logger = logger;
        NodeName = nodeName;
        _fieldManager = FieldManagerFor(nodeName);
        _pipeline = ApiRetry.Pipeline(time, ApiRetry.Transient, maxRetryAttempts: 5, (attempt, e) => Log.Retrying(_logger, attempt, e?.Message));
    }

    public string NodeName { get; }

    /// <summary>Writes made (after no-op writes were skipped); for tests and metrics.</summary>
    public int Writes => _writes;

    private int _writes;

    public static string FieldManagerFor(string nodeName) => "bandwidth-operator-" + nodeName;

    /// <summary>
    /// Writes <c>status.classId</c> and <c>status.outboundClassId</c> alone (before the kernel gets the classes).
    /// Returns the object as stored, or null when it is gone.
    /// </summary>
    public Task<InterfaceBandwidth?> WriteClassIdAsync(InterfaceBandwidth item, int? classId, CancellationToken cancellationToken, int? outboundClassId = null) =>
        WriteInterfaceStatusAsync(
            item,
            previous => previous?.ClassId == classId && previous?.OutboundClassId == outboundClassId
                ? null
                : new InterfaceBandwidthStatus { ClassId = classId, OutboundClassId = outboundClassId },
            cancellationToken);

    /// <summary>
    /// Writes the status <paramref name="build"/> makes from the current one; <paramref name="build"/>
    /// returns null when nothing is to be written. Returns the object as stored, or null when it is gone.
    /// </summary>
    public async Task<InterfaceBandwidth?> WriteInterfaceStatusAsync(
        InterfaceBandwidth item, Func<InterfaceBandwidthStatus?, InterfaceBandwidthStatus?> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(build);
        var current = item;
        var reread = false;
        return await _pipeline.ExecuteAsync(async ct =>
        {
            if (reread)
            {
                current = await ReadAsync(current, ct).ConfigureAwait(false);
                if (current is null)
                {
                    return null;
                }
            }

            reread = true;
            var status = build(current.Status);
            if (status is null)
            {
                return current;
            }

            // A JsonObject, not a dictionary: the client's serializer drops null dictionary values, and
            // a null classId is how the merge patch removes it.
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = current.Metadata.ResourceVersion },
                ["status"] = StatusPatch(status, current.Spec?.Target is not null),
            };
            try
            {
                var stored = await _client.PatchAsync<InterfaceBandwidth>(
                    StatusPath(current), patch.ToJsonString(), KubeApi.MergePatch, ct).ConfigureAwait(false);
                Interlocked.Increment(ref _writes);
                return stored;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Server-side applies this node's entry of <c>status.nodes</c> (and nothing else) on <paramref name="network"/>.</summary>
    public Task<BridgeNetwork?> ApplyBridgeNodeStatusAsync(string network, BridgeNetworkNodeStatus entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ApplyNodesAsync(network, [entry], cancellationToken);
    }

    /// <summary>Gives up this node's entry of <c>status.nodes</c> (applies an empty list: what this field manager no longer applies is removed).</summary>
    public Task<BridgeNetwork?> RemoveBridgeNodeStatusAsync(string network, CancellationToken cancellationToken) =>
        ApplyNodesAsync(network, [], cancellationToken);

    private async Task<BridgeNetwork?> ApplyNodesAsync(string network, BridgeNetworkNodeStatus[] nodes, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = ApiGroup.ApiVersion,
            ["kind"] = BridgeNetwork.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = network },
            ["status"] = new JsonObject { ["nodes"] = JsonSerializer.SerializeToNode(nodes, KubeJson.Options) },
        };
        return await _pipeline.ExecuteAsync(async ct =>
        {
            try
            {
                var stored = await _client.PatchAsync<BridgeNetwork>(
                    $"apis/{ApiGroup.Group}/{ApiGroup.Version}/{BridgeNetwork.Plural}/{network}/status" + KubeApi.Query(("fieldManager", _fieldManager), ("force", "true")),
                    body.ToJsonString(), KubeApi.ApplyPatch, ct).ConfigureAwait(false);
                Interlocked.Increment(ref _writes);
                return stored;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Server-side applies this node's entry of a target-bound InterfaceBandwidth's <c>status.nodes</c>
    /// (null gives the entry up). Returns the object as stored, or null when it is gone.
    /// </summary>
    public async Task<InterfaceBandwidth?> ApplyInterfaceNodeStatusAsync(InterfaceBandwidth item, InterfaceBandwidthNodeStatus? entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var body = new JsonObject
        {
            ["apiVersion"] = ApiGroup.ApiVersion,
            ["kind"] = InterfaceBandwidth.KubeKind,
            ["metadata"] = new JsonObject { ["name"] = item.Metadata.Name, ["namespace"] = item.Metadata.NamespaceProperty },
            ["status"] = new JsonObject
            {
                ["nodes"] = JsonSerializer.SerializeToNode(entry is null ? Array.Empty<InterfaceBandwidthNodeStatus>() : new[] { entry }, KubeJson.Options),
            },
        };
        return await _pipeline.ExecuteAsync(async ct =>
        {
            try
            {
                var stored = await _client.PatchAsync<InterfaceBandwidth>(
                    StatusPath(item) + KubeApi.Query(("fieldManager", _fieldManager), ("force", "true")), body.ToJsonString(), KubeApi.ApplyPatch, ct).ConfigureAwait(false);
                Interlocked.Increment(ref _writes);
                return stored;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<InterfaceBandwidth?> ReadAsync(InterfaceBandwidth item, CancellationToken cancellationToken)
    {
        return await _client.GetAsync<InterfaceBandwidth>(
            $"apis/{ApiGroup.Group}/{ApiGroup.Version}/namespaces/{item.Metadata.NamespaceProperty}/{InterfaceBandwidth.Plural}/{item.Metadata.Name}",
            cancellationToken).ConfigureAwait(false);
    }

    private static string StatusPath(InterfaceBandwidth item) =>
        $"apis/{ApiGroup.Group}/{ApiGroup.Version}/namespaces/{item.Metadata.NamespaceProperty}/{InterfaceBandwidth.Plural}/{item.Metadata.Name}/status";

    /// <summary>A merge patch of the status: classId and outboundClassId always present (null removes them), conditions replaced whole.</summary>
    private static JsonObject StatusPatch(InterfaceBandwidthStatus status, bool targetBound)
    {
        var patch = new JsonObject { ["classId"] = status.ClassId, ["outboundClassId"] = status.OutboundClassId };
        if (targetBound)
        {
            // What the running node resolved; null removes it (the workload left this node).
            patch["nodeName"] = status.NodeName;
            patch["macAddress"] = status.MacAddress;
            patch["device"] = status.Device;
        }

        if (status.ObservedGeneration is { } generation)
        {
            patch["observedGeneration"] = generation;
        }

        if (status.Conditions is { } conditions)
        {
            patch["conditions"] = JsonSerializer.SerializeToNode(conditions, KubeJson.Options);
        }

        return patch;
    }
}
