namespace BandwidthOperator.Agent.Hosting;

/// <summary>Where the agent's API server credentials come from.</summary>
public enum KubeConfigSource
{
    /// <summary>The pod's service account (KUBERNETES_SERVICE_HOST/PORT and the mounted token).</summary>
    InCluster,

    /// <summary>A kubeconfig file (--kubeconfig, KUBECONFIG, or ~/.kube/config).</summary>
    File,
}
