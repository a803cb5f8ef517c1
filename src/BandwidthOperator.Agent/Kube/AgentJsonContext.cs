using System.Text.Json.Serialization;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Kube;

/// <summary>
/// Source-generated JSON metadata of every type the agent reads from or writes to the API server
/// (<see cref="KubeJson"/> resolves through it first): no reflection over the types and no accessors
/// emitted and jitted at run time (docs/architecture.md, "Memory").
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    Converters = [typeof(KubeDateTimeConverter), typeof(KubeDateTimeOffsetConverter)])]
[JsonSerializable(typeof(KubeWatchLine))]
[JsonSerializable(typeof(KubeList<InterfaceBandwidth>))]
[JsonSerializable(typeof(KubeList<BridgeNetwork>))]
[JsonSerializable(typeof(KubeList<VirtualMachineInstance>))]
[JsonSerializable(typeof(KubeList<V1Pod>))]
[JsonSerializable(typeof(KubeList<V1Node>))]
[JsonSerializable(typeof(KubeList<V1Namespace>))]
[JsonSerializable(typeof(InterfaceBandwidth))]
[JsonSerializable(typeof(BridgeNetwork))]
[JsonSerializable(typeof(VirtualMachineInstance))]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(V1Node))]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(Corev1Event))]
[JsonSerializable(typeof(V1TokenReview))]
[JsonSerializable(typeof(V1SubjectAccessReview))]
[JsonSerializable(typeof(IList<V1Condition>))]
[JsonSerializable(typeof(BridgeNetworkNodeStatus[]))]
[JsonSerializable(typeof(InterfaceBandwidthNodeStatus[]))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
}
