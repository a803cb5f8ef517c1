using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Reconcile;

/// <summary>
/// Everything a reconcile reads from the cluster, each kept current by a watch (no GET per reconcile):
/// the BridgeNetworks, this node's InterfaceBandwidths, this node's Node (<c>fieldSelector=metadata.name=NODE</c>),
/// the Namespaces (watched only while a network's selector needs their labels) and the workload caches.
/// </summary>
public sealed record ReconcileCaches(
    ResourceStore<BridgeNetwork> Networks,
    ResourceStore<InterfaceBandwidth> Interfaces,
    ResourceStore<V1Node> Node,
    OnDemandWatch<V1Namespace> Namespaces,
    WorkloadCaches Workloads);
