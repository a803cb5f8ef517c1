using k8s;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BandwidthOperator.Agent.Hosting;

/// <summary>
/// Decides in-cluster vs kubeconfig explicitly (never <c>BuildDefaultConfig</c>'s silent fall-back to
/// localhost): an explicit <c>--kubeconfig</c> wins, then <c>KUBECONFIG</c>; otherwise in-cluster when
/// <c>KUBERNETES_SERVICE_HOST</c> is set; otherwise <c>~/.kube/config</c> if it exists; otherwise an error.
/// </summary>
public static class KubeConfigSelector
{
    /// <summary>The pod's projected service-account token (what <c>InClusterConfig</c> reads).</summary>
    public const string ServiceAccountTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    public static KubeConfigChoice Select(string? kubeconfigArgument, Func<string, string?> environment, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(fileExists);
        if (!string.IsNullOrWhiteSpace(kubeconfigArgument))
        {
            return new KubeConfigChoice(KubeConfigSource.File, kubeconfigArgument, "--kubeconfig");
        }

        var fromEnvironment = environment("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // kubectl allows a list; the first existing file is the one we read.
            var files = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var path = files.FirstOrDefault(fileExists) ?? files[0];
            return new KubeConfigChoice(KubeConfigSource.File, path, "KUBECONFIG");
        }

        if (!string.IsNullOrWhiteSpace(environment("KUBERNETES_SERVICE_HOST")))
        {
            return new KubeConfigChoice(KubeConfigSource.InCluster, null, "KUBERNETES_SERVICE_HOST is set");
        }

        var home = environment("HOME");
        if (!string.IsNullOrEmpty(home))
        {
            var path = System.IO.Path.Combine(home, ".kube", "config");
            if (fileExists(path))
            {
                return new KubeConfigChoice(KubeConfigSource.File, path, "~/.kube/config");
            }
        }

        throw new InvalidOperationException(
            "no Kubernetes API server configured: pass --kubeconfig PATH, set KUBECONFIG, or run in a pod (KUBERNETES_SERVICE_HOST)");
    }

    /// <summary>Loads the configuration <paramref name="choice"/> names.</summary>
    public static KubernetesClientConfiguration Load(KubeConfigChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        try
        {
            if (choice.Source == KubeConfigSource.InCluster)
            {
                // The token is read again whenever the kubelet rotates it (Kube/TokenFile).
                var inCluster = KubernetesClientConfiguration.InClusterConfig();
                inCluster.TokenProvider = new Kube.TokenFile(ServiceAccountTokenPath);
                return inCluster;
            }

            if (!File.Exists(choice.Path))
            {
                throw new InvalidOperationException($"kubeconfig {choice.Path} (from {choice.Reason}) does not exist");
            }

            return KubernetesClientConfiguration.BuildConfigFromConfigObject(ReadKubeConfig(choice.Path));
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            var source = choice.Source == KubeConfigSource.InCluster ? "in-cluster configuration" : $"kubeconfig {choice.Path} (from {choice.Reason})";
            throw new InvalidOperationException($"{source}: {e.Message}", e);
        }
        catch (YamlException e)
        {
            throw new InvalidOperationException($"kubeconfig {choice.Path} (from {choice.Reason}): {e.Message}", e);
        }
    }

    /// <summary>
    /// The kubeconfig file read with a plain YamlDotNet deserializer, as <c>BuildConfigFromConfigFile</c>
    /// would read it (its types carry their YAML names; relative paths resolve against the file's folder
    /// through <c>FileName</c>) — but without KubernetesClient's <c>KubernetesYaml</c>, whose first use maps
    /// every Kubernetes model type: ≈ 4 MB of live heap and ≈ 8 MiB of RSS for the agent's lifetime
    /// (docs/architecture.md, "Memory").
    /// </summary>
    internal static K8SConfiguration ReadKubeConfig(string path)
    {
        var config = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build()
            .Deserialize<K8SConfiguration>(File.ReadAllText(path)) ?? throw new InvalidOperationException($"kubeconfig {path} is empty");
        config.FileName = Path.GetFullPath(path);
        return config;
    }
}
