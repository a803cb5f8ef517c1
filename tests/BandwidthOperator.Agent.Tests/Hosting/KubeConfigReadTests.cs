using BandwidthOperator.Agent.Hosting;
using k8s;

namespace BandwidthOperator.Agent.Tests.Hosting;

/// <summary>
/// The agent reads a kubeconfig without KubernetesClient's KubernetesYaml (docs/architecture.md, "Memory"):
/// what it builds must be what <c>BuildConfigFromConfigFile</c> builds from the same file.
/// </summary>
public sealed class KubeConfigReadTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("bwo-kubeconfig-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void A_kubeconfig_with_a_token_a_CA_and_a_namespace_reads_as_the_client_reads_it()
    {
        var path = Write("""
            apiVersion: v1
            kind: Config
            preferences: {}
            clusters:
            - name: other
              cluster: {server: "https://other.example:6443", insecure-skip-tls-verify: true}
            - name: main
              cluster:
                server: "https://10.0.0.1:6443"
                certificate-authority-data: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
                tls-server-name: api.main.example
            users:
            - name: agent
              user: {token: "abc.def.ghi"}
            contexts:
            - name: main
              context: {cluster: main, user: agent, namespace: bandwidth-operator-system}
            - name: other
              context: {cluster: other, user: agent}
            current-context: main
            """);

        var ours = KubeConfigSelector.Load(new KubeConfigChoice(KubeConfigSource.File, path, "--kubeconfig"));
        var theirs = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);

        ours.Host.ShouldBe("https://10.0.0.1:6443");
        ours.AccessToken.ShouldBe("abc.def.ghi");
        ours.Namespace.ShouldBe("bandwidth-operator-system");
        ours.TlsServerName.ShouldBe("api.main.example");
        ours.SslCaCerts.ShouldNotBeNull();
        Same(ours, theirs);
    }

    [Fact]
    public void Client_certificate_files_resolve_against_the_kubeconfigs_folder_and_exec_is_kept()
    {
        var path = Write("""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
            users:
            - name: cert
              user: {client-certificate: certs/agent.crt, client-key: certs/agent.key}
            - name: exec
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: get-token
                  args: [--cluster, c]
                  env: [{name: REGION, value: eu}]
            contexts:
            - name: cert
              context: {cluster: c, user: cert}
            - name: exec
              context: {cluster: c, user: exec}
            current-context: cert
            """);

        var ours = KubeConfigSelector.Load(new KubeConfigChoice(KubeConfigSource.File, path, "--kubeconfig"));
        var theirs = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);

        ours.ClientCertificateFilePath.ShouldBe(Path.Combine(_dir.FullName, "certs", "agent.crt"));
        ours.ClientKeyFilePath.ShouldBe(Path.Combine(_dir.FullName, "certs", "agent.key"));
        ours.SkipTlsVerify.ShouldBeTrue();
        Same(ours, theirs);

        var config = KubeConfigSelector.ReadKubeConfig(path);
        var exec = config.Users.Single(u => u.Name == "exec").UserCredentials.ExternalExecution;
        exec.Command.ShouldBe("get-token");
        exec.Arguments.ShouldBe(["--cluster", "c"]);
        exec.EnvironmentVariables.Single()["name"].ShouldBe("REGION");
    }

    [Fact]
    public void A_kubeconfig_that_is_not_YAML_names_the_file()
    {
        var path = Write("clusters: [ {name: a\n  - : :");

        var e = Should.Throw<InvalidOperationException>(() => KubeConfigSelector.Load(new KubeConfigChoice(KubeConfigSource.File, path, "KUBECONFIG")));

        e.Message.ShouldContain(path);
        e.Message.ShouldContain("KUBECONFIG");
    }

    private static void Same(KubernetesClientConfiguration ours, KubernetesClientConfiguration theirs)
    {
        ours.Host.ShouldBe(theirs.Host);
        ours.AccessToken.ShouldBe(theirs.AccessToken);
        ours.Namespace.ShouldBe(theirs.Namespace);
        ours.CurrentContext.ShouldBe(theirs.CurrentContext);
        ours.SkipTlsVerify.ShouldBe(theirs.SkipTlsVerify);
        ours.TlsServerName.ShouldBe(theirs.TlsServerName);
        ours.ClientCertificateFilePath.ShouldBe(theirs.ClientCertificateFilePath);
        ours.ClientCertificateKeyStoreFlags.ShouldBe(theirs.ClientCertificateKeyStoreFlags);
        ours.ClientKeyFilePath.ShouldBe(theirs.ClientKeyFilePath);
        (ours.SslCaCerts?.Count).ShouldBe(theirs.SslCaCerts?.Count);
        ours.Username.ShouldBe(theirs.Username);
        ours.Password.ShouldBe(theirs.Password);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir.FullName, "kubeconfig");
        File.WriteAllText(path, yaml);
        return path;
    }
}
